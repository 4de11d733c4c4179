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

// workspaces serves the POST workspaces search: one workspace per product
// of each site, hostUrl a loopback URL (or the real host with RealHosts).
func (s *Server) workspaces(w http.ResponseWriter, r *http.Request) {
	p, _, err := postPaging(r, nextFullURL)
	if err != nil {
		writeError(w, http.StatusBadRequest, "ADMIN-UAM-400-4", "Bad Request", err.Error())
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
	start, end, links, ok := s.window(w, r, len(all), p)
	if !ok {
		return
	}
	data := []any{}
	for _, ws := range all[start:end] {
		attrs := map[string]any{"name": ws.site.site.Name, "typeKey": ws.typeKey, "hostUrl": s.hostURL(ws.site)}
		if ws.site.site.Status != "" {
			attrs["status"] = ws.site.site.Status
		}
		data = append(data, map[string]any{
			"id": ws.site.site.ID, "type": "workspace", "attributes": attrs,
			"links": map[string]any{"self": origin(r) + r.URL.Path + "/" + ws.site.site.ID},
		})
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links})
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

// appAccess serves the app access domains list (opaque cursors, full self link).
func (s *Server) appAccess(w http.ResponseWriter, r *http.Request) {
	items := s.snap.AppAccess.Items
	start, end, links, ok := s.window(w, r, len(items), getPaging(r, nextCursor, "limit", false))
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

// appAccessDetail serves one domain's detail: the snapshot's raw detail when
// it has one, else one built from the fields.
func (s *Server) appAccessDetail(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("domain")
	for _, d := range s.snap.AppAccess.Items {
		if d.Domain != name {
			continue
		}
		if len(d.Raw) > 0 {
			s.writeJSON(w, json.RawMessage(d.Raw))
			return
		}
		products := []any{}
		for _, p := range d.Products {
			item := map[string]any{"productId": p.ProductID}
			setIf(item, "adminApprovalRequired", p.AdminApprovalRequired)
			if p.Role != "" {
				item["role"] = p.Role
			}
			products = append(products, item)
		}
		detail := map[string]any{"domain": d.Domain, "enabled": d.Enabled, "products": products}
		setIf(detail, "adminNotifications", d.AdminNotifications)
		s.writeJSON(w, detail)
		return
	}
	writeError(w, http.StatusNotFound, "ADMIN-UAM-404-3", "Not Found", "domain not found")
}

// setIf sets m[k] when v is not nil.
func setIf[T any](m map[string]any, k string, v *T) {
	if v != nil {
		m[k] = *v
	}
}
