package fakeapi

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// orgs serves GET /admin/v1/orgs (full-URL next links).
func (s *Server) orgs(w http.ResponseWriter, r *http.Request) {
	orgs := append([]snapshot.Org{s.snap.Org}, s.opts.ExtraOrgs...)
	start, end, links, ok := s.window(w, r, len(orgs), getPaging(r, nextFullURL, "limit", false))
	if !ok {
		return
	}
	data := []any{}
	for _, o := range orgs[start:end] {
		data = append(data, map[string]any{
			"id": o.ID, "type": "orgs",
			"attributes": map[string]any{"name": o.Name},
			"links":      map[string]any{"self": origin(r) + "/admin/v1/orgs/" + o.ID},
		})
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links})
}

// workspace is one product of one site, as the workspaces search lists it.
type workspace struct {
	site    fakeSite
	typeKey string
}

// workspaces serves the POST workspaces search (swagger.v3.json,
// queryWorkspacesV2): one workspace per product of each site, hostUrl a
// loopback URL (or the real host with RealHosts), links.next a full URL whose
// cursor goes into the next body, and a meta block. A body holding a cursor
// and anything else is refused with 400, as the spec says ("When a cursor is
// provided in the request body, no other properties may be present"), in the
// endpoint's flat error shape.
func (s *Server) workspaces(w http.ResponseWriter, r *http.Request) {
	p, body, err := postPaging(r, nextFullURL)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, codeBadBody, err.Error())
		return
	}
	if _, ok := body["cursor"]; ok && len(body) > 1 {
		writeError(w, r, http.StatusBadRequest, codeBadBody, "when a cursor is provided in the request body, no other properties may be present")
		return
	}
	var all []workspace
	for _, fs := range s.sites {
		products := fs.site.Products
		if len(products) == 0 {
			products = []string{""}
		}
		for _, key := range products {
			all = append(all, workspace{site: fs, typeKey: key})
		}
	}
	if p.cursor != "" {
		// The cursor carries the page size of the first request.
		if _, size, ok := decodeCursor(p.cursor); ok && size > 0 {
			p.size, p.sizeGiven = size, true
		}
	}
	start, end, links, ok := s.window(w, r, len(all), p)
	if !ok {
		return
	}
	data := []any{}
	for _, ws := range all[start:end] {
		site := ws.site.site
		attrs := map[string]any{"name": site.Name, "typeKey": ws.typeKey, "type": productType(ws.typeKey), "hostUrl": s.hostURL(ws.site)}
		setText(attrs, "status", site.Status)
		if site.Sandbox != "" {
			attrs["sandbox"] = map[string]any{"type": site.Sandbox}
		}
		data = append(data, map[string]any{
			"id": site.ID, "type": "workspace", "attributes": attrs,
			"links": map[string]any{"self": origin(r) + r.URL.Path + "/" + site.ID},
		})
	}
	meta := map[string]any{"pageSize": end - start, "total": len(all), "startIndex": start, "endIndex": max(start, end-1)}
	s.writeJSON(w, map[string]any{"data": data, "links": links, "meta": meta})
}

// productType is a workspace's attributes.type for its typeKey.
func productType(typeKey string) string {
	if strings.HasPrefix(typeKey, "jira") {
		return "jira"
	}
	return typeKey
}

// hostURL is a site's hostUrl: the loopback URL, or with RealHosts the bare
// host of an https site (a full URL otherwise).
func (s *Server) hostURL(fs fakeSite) string {
	if !s.opts.RealHosts {
		return s.ts.URL + "/site/" + fs.slug
	}
	if rest, ok := strings.CutPrefix(fs.site.URL, "https://"); ok && !strings.Contains(strings.TrimRight(rest, "/"), "/") {
		return strings.TrimRight(rest, "/")
	}
	return fs.site.URL
}

// domains serves GET /admin/v1/orgs/{orgId}/domains (full-URL next links).
func (s *Server) domains(w http.ResponseWriter, r *http.Request) {
	items := s.snap.VerifiedDomains.Items
	start, end, links, ok := s.window(w, r, len(items), getPaging(r, nextFullURL, "limit", false))
	if !ok {
		return
	}
	data := []any{}
	for _, d := range items[start:end] {
		data = append(data, map[string]any{
			"id": d.ID, "type": "domains",
			"attributes": map[string]any{"name": d.Name, "claim": map[string]any{"type": d.Type, "status": d.Status}},
			"links":      map[string]any{"self": origin(r) + r.URL.Path + "/" + d.ID},
		})
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links})
}

// appAccess serves the app access domains list: links.next a full URL
// carrying cursor and limit, null on the last page (contract Part C.1).
func (s *Server) appAccess(w http.ResponseWriter, r *http.Request) {
	if s.appAccessRemoved(w, r) {
		return
	}
	items := s.snap.AppAccess.Items
	start, end, links, ok := s.window(w, r, len(items), getPaging(r, nextFullURL, "limit", false))
	if !ok {
		return
	}
	data := []any{}
	for _, d := range items[start:end] {
		data = append(data, map[string]any{
			"domain": d.Domain, "enabled": d.Enabled, "numberOfProductsAppliesTo": d.NumberOfProductsAppliesTo,
		})
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links})
}

// appAccessRemoved answers the removed variants; it reports whether it did.
// The gateway's answer to a route that no longer exists is assumed to be the
// plain error array (Atlassian has not documented it).
func (s *Server) appAccessRemoved(w http.ResponseWriter, r *http.Request) bool {
	switch s.opts.AppAccess {
	case AppAccessRemoved:
		writeError(w, r, http.StatusNotFound, codeUnknown, "Unknown resource")
	case AppAccessGone:
		writeError(w, r, http.StatusGone, "", "this API has been removed")
	default:
		return false
	}
	return true
}

// appAccessDetail serves one domain's detail in the selected shape: the
// snapshot's raw detail when it has one, else one built from its fields.
func (s *Server) appAccessDetail(w http.ResponseWriter, r *http.Request) {
	if s.appAccessRemoved(w, r) {
		return
	}
	name := r.PathValue("domain")
	for _, d := range s.snap.AppAccess.Items {
		if d.Domain != name {
			continue
		}
		if len(d.Raw) > 0 {
			s.writeJSON(w, json.RawMessage(d.Raw))
			return
		}
		s.writeJSON(w, s.domainDetail(d))
		return
	}
	writeError(w, r, http.StatusNotFound, codeDomainGone, "domain not found")
}

// domainDetail renders a domain's detail in the variant's shape.
func (s *Server) domainDetail(d snapshot.ApprovedDomain) map[string]any {
	july := s.opts.AppAccess == AppAccessJuly
	products := []any{}
	for _, p := range d.Products {
		item := map[string]any{"productId": p.ProductID}
		mode := p.AccessMode
		if mode == "" && p.AdminApprovalRequired != nil {
			mode = map[bool]string{false: "DIRECT_ACCESS", true: "REQUEST_ACCESS"}[*p.AdminApprovalRequired]
		}
		switch {
		case july && mode == "DENIED_ACCESS":
			continue // the July shape cannot say "no access": the product is not listed
		case july:
			item["adminApprovalRequired"] = mode == "REQUEST_ACCESS"
			setText(item, "role", p.Role)
		default:
			setText(item, "accessMode", mode)
			setText(item, "defaultRole", p.Role)
		}
		products = append(products, item)
	}
	detail := map[string]any{"domain": d.Domain, "products": products}
	if july {
		if d.AdminNotifications != nil && *d.AdminNotifications {
			detail["adminNotifications"] = "ON_REQUEST"
		} else if d.AdminNotifications != nil {
			detail["adminNotifications"] = false
		}
		return detail
	}
	detail["enabled"] = d.Enabled
	setIf(detail, "adminNotifications", d.AdminNotifications)
	return detail
}
