package custom.failing_test

import data.custom.failing

# Wrong on purpose: the key has no label, so deny is not empty.
test_pass_wrong if {
	count(failing.deny) == 0 with input as {"api_keys": {"items": [{"id": "k1"}]}}
}
