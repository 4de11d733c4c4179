# Package areas reads the snapshot's area envelopes through the area
# registry (data.atlcheck.areas). It is the one definition of whether an
# area's data can be evaluated and of how an area's (or a site's) error
# reads: the collection policy uses it, and atlcheck's Go side asks it for
# the run's not-evaluated reasons and the drift report (lib.facts).
package lib.areas

# envelope is the area's envelope in the snapshot, null when it is absent.
envelope(name) := object.get(input, data.atlcheck.areas[name].path, null)

# states maps every area name to its state: "collected" (only an envelope
# that says collected: true counts), and when it was not, "no_source"
# (nothing was configured, or an API said the area is not available),
# "failed" (it has a source but collection failed), "error" (the error text)
# and "reason" (why, in words: "was not collected: <error>", "has no data
# source: <why>", "is missing from the snapshot"); always "unreadable" (how
# many items the collector could not read) and "note" (where the data came
# from, when there is something to know).
states := {name: object.union(_state(area), _extras(area)) |
	some name, _ in data.atlcheck.areas
	area := envelope(name)
}

_extras(area) := {"unreadable": count(object.get(area, "unreadable", [])), "note": _string(area, "note"), "failed": _failed(area)} if {
	is_object(area)
} else := {"unreadable": 0, "note": "", "failed": true}

_failed(area) if {
	area.collected != true
	area.source != "none"
}

else := false

_state(area) := {"collected": true} if {
	area.collected == true
} else := {
	"collected": false, "no_source": true, "error": why,
	"reason": concat("", ["has no data source", _colon(why)]),
} if {
	area.source == "none"
	why := _no_source_why(area)
} else := {
	"collected": false, "no_source": false, "error": error_text(area),
	"reason": concat("", ["was not collected: ", error_text(area)]),
} if {
	is_object(area)
} else := {"collected": false, "no_source": false, "error": "missing from the snapshot", "reason": "is missing from the snapshot"}

# _no_source_why is why an area has no source: the API's whole answer when an
# API said the area is not available (a status), else the message.
_no_source_why(area) := error_text(area) if {
	_status(object.get(area, "error", {})) != ""
} else := _message(object.get(area, "error", {}), "")

# site_errors lists every site whose installed apps were not collected, as
# {"url", "error"} with the error text, in snapshot order (a list, so that a
# URL repeated in a hostile snapshot cannot make it a conflict).
site_errors := [{"url": site.url, "error": error_text(site)} |
	some site in input.connected_apps.installed.sites
	site.collected == false
]

# error_text renders the error of an area or a site: "HTTP 403
# ADMIN-UAM-403-1: Forbidden (GET /admin/v1/orgs/{orgId}/domains)"; parts
# that are absent are left out, and a missing message reads "unknown error".
error_text(item) := text if {
	err := object.get(item, "error", {})
	head := concat(" ", [part | some part in [_status(err), _string(err, "code")]; part != ""])
	text := concat("", [_prefix(head), _message(err, "unknown error"), _endpoint(err)])
}

_status(err) := sprintf("HTTP %v", [err.status]) if {
	is_number(err.status)
	err.status > 0
} else := ""

_string(err, key) := s if {
	s := object.get(err, key, "")
	is_string(s)
} else := ""

_prefix(head) := sprintf("%s: ", [head]) if head != ""

else := ""

_message(err, default_text) := m if {
	m := _string(err, "message")
	m != ""
} else := default_text

_endpoint(err) := sprintf(" (%s)", [e]) if {
	e := _string(err, "endpoint")
	e != ""
} else := ""

_colon(text) := sprintf(": %s", [text]) if text != ""

else := ""
