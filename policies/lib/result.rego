# Package result builds the finding objects that every atlcheck policy returns.
package lib.result

# fail returns a finding for the rule whose metadata is given: the policy id
# comes from the rule's METADATA, the rest from details. A finding has exactly
# the keys policy_id, resource, path and message.
fail(metadata, details) := {
	"policy_id": metadata.custom.id,
	"resource": details.resource,
	"path": details.path,
	"message": details.message,
}
