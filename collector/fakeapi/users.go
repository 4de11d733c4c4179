package fakeapi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// The users search and count (swagger.v3.json, searchUsers and the users
// count GET; contract Part C.5) take the same filters. Each filter is one
// entry of userFilters: how its values are checked and which accounts it
// keeps, so a new filter is one more entry.
type userFilter struct {
	name string
	// enum lists the allowed values; nil allows any string.
	enum []string
	// many marks an array filter of at most max values; otherwise one value.
	many bool
	max  int
	// boolean marks a true/false filter (mfaEnabled).
	boolean bool
	// keep reports whether an account matches one of the wanted values.
	keep func(a snapshot.Account, want []string) bool
}

var userFilters = []userFilter{
	{name: "accountIds", many: true, max: 10, keep: matchField(func(a snapshot.Account) string { return a.AccountID })},
	{name: "status", enum: []string{"active", "suspended", "not_invited", "deactivated", "for_deletion"}, many: true, max: 4,
		keep: matchField(func(a snapshot.Account) string { return a.Status })},
	{name: "accountStatus", enum: []string{"active", "inactive", "closed"}, many: true, max: 3,
		keep: matchField(func(a snapshot.Account) string { return a.AccountStatus })},
	{name: "membershipStatus", enum: []string{"active", "suspended", "no_membership"}, many: true, max: 3,
		keep: matchField(func(a snapshot.Account) string { return a.MembershipStatus })},
	{name: "claimStatus", enum: []string{"managed", "unmanaged"},
		keep: matchField(func(a snapshot.Account) string { return a.ClaimStatus })},
	{name: "roleIds", enum: platformRoleIDs, many: true, max: 10, keep: func(a snapshot.Account, want []string) bool {
		return slices.ContainsFunc(a.Roles, func(r string) bool { return slices.Contains(want, r) })
	}},
	{name: "emailDomains", many: true, max: 10, keep: func(a snapshot.Account, want []string) bool {
		_, domain, _ := strings.Cut(strings.ToLower(a.Email), "@")
		return domain != "" && slices.ContainsFunc(want, func(d string) bool { return strings.EqualFold(d, domain) })
	}},
	// Accounts that carry no mfaEnabled are dropped by this filter, as the
	// real API's silently are (contract Part C.5).
	{name: "mfaEnabled", boolean: true, keep: func(a snapshot.Account, want []string) bool {
		return a.MFAEnabled != nil && strconv.FormatBool(*a.MFAEnabled) == want[0]
	}},
}

// platformRoleIDs are the roleIds the filter accepts.
var platformRoleIDs = []string{"atlassian/user", "atlassian/admin", "atlassian/guest", "atlassian/customer",
	"atlassian/user-access-admin", "atlassian/contributor", "atlassian/basic", "atlassian/stakeholder",
	"atlassian/org-admin", "atlassian/site-admin", "atlassian/ai-access"}

// userExpands are the documented expand values.
var userExpands = []string{"platformRoles", "counts.resources", "productAccess", "groups"}

// matchField keeps accounts whose field equals one of the wanted values.
func matchField(field func(snapshot.Account) string) func(snapshot.Account, []string) bool {
	return func(a snapshot.Account, want []string) bool { return slices.Contains(want, field(a)) }
}

// userQuery is a parsed users search or count: the filters with their
// values, the expansions and the sort.
type userQuery struct {
	filters map[string][]string
	expand  []string
	desc    bool
	sorted  bool
}

// parseUserBody reads a users search body; an error is the 400 to answer.
func parseUserBody(body map[string]any) (userQuery, error) {
	q := userQuery{filters: map[string][]string{}}
	if _, a := body["searchTerm"]; a {
		if _, b := body["emails"]; b {
			return q, fmt.Errorf("searchTerm and emails are mutually exclusive")
		}
	}
	for _, f := range userFilters {
		v, ok := body[f.name]
		if !ok {
			continue
		}
		vals, err := f.values(v)
		if err != nil {
			return q, err
		}
		q.filters[f.name] = vals
	}
	if v, ok := body["expand"]; ok {
		list, ok := v.([]any)
		if !ok {
			return q, fmt.Errorf("expand must be a list")
		}
		for _, e := range list {
			s, _ := e.(string)
			if !slices.Contains(userExpands, s) {
				return q, fmt.Errorf("expand: unknown value %v (known: %s)", e, strings.Join(userExpands, ", "))
			}
			q.expand = append(q.expand, s)
		}
	}
	if v, ok := body["sortBy"]; ok {
		list, ok := v.([]any)
		if !ok || len(list) != 1 {
			return q, fmt.Errorf("sortBy must be a list of exactly one {field, direction}")
		}
		item, _ := list[0].(map[string]any)
		dir, _ := item["direction"].(string)
		if item["field"] != "nick_name" || (dir != "asc" && dir != "desc") {
			return q, fmt.Errorf("sortBy: field must be nick_name and direction asc or desc")
		}
		q.sorted, q.desc = true, dir == "desc"
	}
	return q, nil
}

// values checks one filter's value from a JSON body.
func (f userFilter) values(v any) ([]string, error) {
	var vals []string
	switch x := v.(type) {
	case bool:
		if !f.boolean {
			return nil, fmt.Errorf("%s must not be a boolean", f.name)
		}
		return []string{strconv.FormatBool(x)}, nil
	case string:
		if f.many || f.boolean {
			return nil, fmt.Errorf("%s must be a list", f.name)
		}
		vals = []string{x}
	case []any:
		if !f.many {
			return nil, fmt.Errorf("%s must be a single value", f.name)
		}
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%s must be a list of strings", f.name)
			}
			vals = append(vals, s)
		}
		if len(vals) < 1 || len(vals) > f.max {
			return nil, fmt.Errorf("%s takes 1 to %d values", f.name, f.max)
		}
	default:
		return nil, fmt.Errorf("%s has the wrong type", f.name)
	}
	for _, s := range vals {
		if f.enum != nil && !slices.Contains(f.enum, s) {
			return nil, fmt.Errorf("%s: unknown value %q (known: %s)", f.name, s, strings.Join(f.enum, ", "))
		}
	}
	return vals, nil
}

// key is the query's cache key.
func (q userQuery) key() string {
	names := slices.Sorted(maps.Keys(q.filters))
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s=%q;", n, q.filters[n])
	}
	fmt.Fprintf(&b, "sorted=%t;desc=%t", q.sorted, q.desc)
	return b.String()
}

// matching returns the accounts the query keeps, in its order. The snapshot
// never changes, so each query's answer is computed once: a 100k-account
// org read as sorted chains is not filtered and sorted again on every page.
func (s *Server) matching(q userQuery) []snapshot.Account {
	if len(q.filters) == 0 && !q.sorted {
		return s.snap.ManagedAccounts.Items
	}
	key := q.key()
	s.mu.Lock()
	out, ok := s.userQueries[key]
	s.mu.Unlock()
	if ok {
		return out
	}
	out = s.filterSort(q)
	s.mu.Lock()
	if s.userQueries == nil {
		s.userQueries = map[string][]snapshot.Account{}
	}
	s.userQueries[key] = out
	s.mu.Unlock()
	return out
}

// filterSort applies the query's filters and sort. Ties in nick_name keep
// the directory's order in both directions, so the two ends of a sort are
// not mirror images of each other (a real API need not make them so either).
func (s *Server) filterSort(q userQuery) []snapshot.Account {
	out := []snapshot.Account{}
	for _, a := range s.snap.ManagedAccounts.Items {
		keep := true
		for _, f := range userFilters {
			if want, ok := q.filters[f.name]; ok && !f.keep(a, want) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, a)
		}
	}
	if q.sorted {
		type entry struct {
			key string
			pos int
		}
		order := make([]entry, len(out))
		for i, a := range out {
			order[i] = entry{strings.ToLower(a.Name), i}
		}
		slices.SortFunc(order, func(a, b entry) int {
			c := strings.Compare(a.key, b.key)
			if q.desc {
				c = -c
			}
			return cmp.Or(c, a.pos-b.pos) // ties: the directory's order
		})
		sorted := make([]snapshot.Account, len(out))
		for i, e := range order {
			sorted[i] = out[e.pos]
		}
		out = sorted
	}
	return out
}

// usersSearch serves the v2 users search (POST, bare cursors): the filters,
// sortBy and expand of the body, every error in the errors-array shape.
// platformRoles, counts, productAccess and groups appear only when expanded.
func (s *Server) usersSearch(w http.ResponseWriter, r *http.Request) {
	p, body, err := postPaging(r, nextCursor)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, codeBadBody, err.Error())
		return
	}
	q, err := parseUserBody(body)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, codeBadBody, err.Error())
		return
	}
	items := s.matching(q)
	start, end, links, ok := s.window(w, r, len(items), p)
	if !ok {
		return
	}
	// The page is put together from the items' cached renderings: at 100k
	// accounts the fake shares the machine with the collector it measures.
	var b bytes.Buffer
	b.WriteString(`{"data":[`)
	for i, a := range items[start:end] {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(s.renderedUser(r, a, q.expand))
	}
	b.WriteString(`],"links":`)
	l, err := json.Marshal(links)
	if err != nil {
		panic(fmt.Sprintf("fakeapi: links do not marshal: %v", err))
	}
	b.Write(l)
	b.WriteByte('}')
	s.writeBody(w, b.Bytes())
}

// renderedUser is one account as the search renders it with these
// expansions, encoded once: a large org read in many chains is not encoded
// again on every page.
func (s *Server) renderedUser(r *http.Request, a snapshot.Account, expand []string) json.RawMessage {
	o := origin(r)
	key := o + "\x00" + a.AccountID + "\x00" + strings.Join(expand, ",")
	s.mu.Lock()
	raw, ok := s.userItems[key]
	s.mu.Unlock()
	if ok {
		return raw
	}
	self := o + "/admin/v2/orgs/" + url.PathEscape(s.snap.Org.ID) + "/directories/-/users/" + url.PathEscape(a.AccountID)
	raw, err := json.Marshal(userItem(a, expand, self))
	if err != nil {
		panic(fmt.Sprintf("fakeapi: account does not marshal: %v", err))
	}
	s.mu.Lock()
	if s.userItems == nil {
		s.userItems = map[string]json.RawMessage{}
	}
	s.userItems[key] = raw
	s.mu.Unlock()
	return raw
}

// userItem renders one account of the search.
func userItem(a snapshot.Account, expand []string, self string) map[string]any {
	item := map[string]any{"accountId": a.AccountID, "status": a.Status, "links": map[string]any{"self": self}}
	for k, v := range map[string]string{
		"name": a.Name, "nickname": a.Name, "email": a.Email, "accountType": a.AccountType, "accountStatus": a.AccountStatus,
		"membershipStatus": a.MembershipStatus, "claimStatus": a.ClaimStatus, "managementSource": a.ManagementSource,
	} {
		setText(item, k, v)
	}
	setIf(item, "mfaEnabled", a.MFAEnabled)
	setIf(item, "emailVerified", a.EmailVerified)
	setTime(item, "addedToOrg", a.AddedToOrg)
	if slices.Contains(expand, "platformRoles") {
		item["platformRoles"] = a.Roles
	}
	if slices.Contains(expand, "counts.resources") {
		item["counts"] = map[string]any{"resources": len(a.ProductAccess)}
	}
	if slices.Contains(expand, "productAccess") {
		access := []any{}
		for _, p := range a.ProductAccess {
			m := map[string]any{}
			setText(m, "key", p.Key)
			setText(m, "id", p.ID)
			setTime(m, "lastActiveTimestamp", p.LastActiveAt)
			access = append(access, m)
		}
		item["productAccess"] = access
	}
	if slices.Contains(expand, "groups") {
		groups := []any{}
		for _, g := range a.Groups {
			m := map[string]any{"id": g.ID}
			setText(m, "name", g.Name)
			groups = append(groups, m)
		}
		item["groups"] = groups
	}
	return item
}

// usersCount serves GET …/users/count: the number of accounts matching the
// same filters, given as query parameters (arrays repeat the parameter).
func (s *Server) usersCount(w http.ResponseWriter, r *http.Request) {
	body := map[string]any{}
	for k, vals := range r.URL.Query() {
		f, ok := filterNamed(k)
		switch {
		case !ok:
			body[k] = vals[0]
		case f.boolean:
			b, err := strconv.ParseBool(vals[0])
			if err != nil {
				writeError(w, r, http.StatusBadRequest, codeBadBody, k+" must be true or false")
				return
			}
			body[k] = b
		case f.many:
			list := make([]any, len(vals))
			for i, v := range vals {
				list[i] = v
			}
			body[k] = list
		default:
			body[k] = vals[0]
		}
	}
	q, err := parseUserBody(body)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, codeBadBody, err.Error())
		return
	}
	n := len(s.matching(q))
	if f := linkFaultFrom(r.Context()); f != nil && f.Kind == Miscount {
		n = max(0, n+f.Size)
	}
	s.writeJSON(w, map[string]any{"count": n})
}

// filterNamed finds a filter by name.
func filterNamed(name string) (userFilter, bool) {
	for _, f := range userFilters {
		if f.name == name {
			return f, true
		}
	}
	return userFilter{}, false
}
