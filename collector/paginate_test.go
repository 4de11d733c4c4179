package collector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClient is a client with the defaults of Collect against base.
func testClient(t *testing.T, base string) *client {
	t.Helper()
	opts := withDefaults(Options{APIURL: base, APIKey: "k-secret", Sleep: (&sleeps{}).sleep})
	c, err := newClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pageServer answers with pages[i] to the i-th request and records what was asked.
type pageServer struct {
	*httptest.Server
	mu    sync.Mutex
	asked []string // "METHOD path?query body"
}

func newPageServer(t *testing.T, respond func(i int, r *http.Request, body string) (int, string)) *pageServer {
	t.Helper()
	ps := &pageServer{}
	ps.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ps.mu.Lock()
		i := len(ps.asked)
		ps.asked = append(ps.asked, strings.TrimSpace(r.Method+" "+r.URL.RequestURI()+" "+string(b)))
		ps.mu.Unlock()
		code, body := respond(i, r, string(b))
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(ps.Close)
	return ps
}

// page renders a page of one item with the given next value (JSON).
func page(item int, links string) string {
	return fmt.Sprintf(`{"data":[{"n":%d}],%s}`, item, links)
}

type item struct {
	N int `json:"n"`
}

// collectAll paginates p and returns the item numbers.
func collectAll(ctx context.Context, c *client, p pager) ([]int, int, error) {
	var got []int
	pages, err := paginate(ctx, c, p, func(items []item) error {
		for _, it := range items {
			got = append(got, it.N)
		}
		return nil
	})
	return got, pages, err
}

func TestPaginateGET(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a refused next link was fetched: %s", r.URL)
	}))
	defer other.Close()
	tests := []struct {
		name      string
		next      func(base string) string // links/meta of the first page
		wantItems []int
		wantAsked []string
		wantErr   error
	}{
		{"full URL fetched as-is", func(b string) string { return `"links":{"next":"` + b + `/items?cursor=c2&limit=7"}` },
			[]int{1, 2}, []string{"GET /items?limit=100&q=x", "GET /items?cursor=c2&limit=7"}, nil},
		{"bare cursor with the original filters", func(string) string { return `"links":{"next":"c2"}` },
			[]int{1, 2}, []string{"GET /items?limit=100&q=x", "GET /items?cursor=c2&limit=100&q=x"}, nil},
		{"meta.next", func(string) string { return `"links":{"self":"s"},"meta":{"next":"c2"}` },
			[]int{1, 2}, []string{"GET /items?limit=100&q=x", "GET /items?cursor=c2&limit=100&q=x"}, nil},
		{"href object", func(b string) string { return `"links":{"next":{"href":"` + b + `/items?cursor=c2"}}` },
			[]int{1, 2}, []string{"GET /items?limit=100&q=x", "GET /items?cursor=c2"}, nil},
		{"null next stops", func(string) string { return `"links":{"next":null}` },
			[]int{1}, []string{"GET /items?limit=100&q=x"}, nil},
		{"another port is another host", func(string) string { return `"links":{"next":"` + other.URL + `/items?cursor=c2"}` },
			[]int{1}, []string{"GET /items?limit=100&q=x"}, ErrForeignNext},
		{"another host", func(string) string { return `"links":{"next":"https://evil.example.com/items?cursor=c2"}` },
			[]int{1}, []string{"GET /items?limit=100&q=x"}, ErrForeignNext},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ps *pageServer
			ps = newPageServer(t, func(i int, r *http.Request, _ string) (int, string) {
				if i == 0 {
					return 200, page(1, tt.next(ps.URL))
				}
				return 200, page(2, `"links":{"next":""}`)
			})
			c := testClient(t, ps.URL)
			u := c.apiURL("/items")
			u.RawQuery = "q=x"
			got, _, err := collectAll(context.Background(), c, pager{method: "GET", endpoint: "/items", url: u, sizeParam: "limit", size: 100})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.wantItems) || fmt.Sprint(ps.asked) != fmt.Sprint(tt.wantAsked) {
				t.Errorf("got items %v after %q, want %v after %q", got, ps.asked, tt.wantItems, tt.wantAsked)
			}
			if err != nil && strings.Contains(err.Error(), "k-secret") {
				t.Errorf("the error shows the key: %v", err)
			}
		})
	}
}

func TestPaginateForeignNextMessage(t *testing.T) {
	ps := newPageServer(t, func(int, *http.Request, string) (int, string) {
		return 200, page(1, `"links":{"next":"https://evil.example.com:8443/steal?cursor=c2&token=abc"}`)
	})
	c := testClient(t, ps.URL)
	_, _, err := collectAll(context.Background(), c, pager{method: "GET", endpoint: "/items", url: c.apiURL("/items")})
	want := "GET /items: refused next link to another host: https://evil.example.com:8443"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

func TestPaginateLoopsAndCaps(t *testing.T) {
	t.Run("repeated cursor", func(t *testing.T) {
		nexts := []string{"a", "b", "a", "c"}
		ps := newPageServer(t, func(i int, _ *http.Request, _ string) (int, string) {
			return 200, page(i, `"links":{"next":"`+nexts[min(i, len(nexts)-1)]+`"}`)
		})
		c := testClient(t, ps.URL)
		_, pages, err := collectAll(context.Background(), c, pager{method: "GET", endpoint: "/items", url: c.apiURL("/items")})
		if !errors.Is(err, ErrCursorLoop) || pages != 3 {
			t.Errorf("got %v after %d pages, want a cursor loop after 3", err, pages)
		}
	})
	t.Run("page cap", func(t *testing.T) {
		ps := newPageServer(t, func(i int, _ *http.Request, _ string) (int, string) {
			return 200, page(i, fmt.Sprintf(`"links":{"next":"c%d"}`, i+1))
		})
		c := testClient(t, ps.URL)
		c.maxPages.Store(5)
		_, pages, err := collectAll(context.Background(), c, pager{method: "GET", endpoint: "/items", url: c.apiURL("/items")})
		if !errors.Is(err, ErrPageCap) || pages != 5 || len(ps.asked) != 5 {
			t.Errorf("got %v after %d pages (%d requests), want the page cap after 5", err, pages, len(ps.asked))
		}
	})
	t.Run("onPage fails: no page asked for after the one on its way", func(t *testing.T) {
		// onPage fails on the first page once the second is waiting for it
		// and the third has been asked for; the third arrives after that.
		// Nothing after the third may be asked for (repeated: a choice
		// between two ready channels is random).
		for range 50 {
			ps := newPageServer(t, func(i int, _ *http.Request, _ string) (int, string) {
				if i == 2 {
					time.Sleep(20 * time.Millisecond)
				}
				return 200, page(i, fmt.Sprintf(`"links":{"next":"c%d"}`, i+1))
			})
			c := testClient(t, ps.URL)
			asked := func() int { ps.mu.Lock(); defer ps.mu.Unlock(); return len(ps.asked) }
			stop := errors.New("enough")
			_, err := paginate(context.Background(), c, pager{method: "GET", endpoint: "/items", url: c.apiURL("/items")},
				func([]item) error {
					for asked() < 3 {
						time.Sleep(time.Millisecond)
					}
					return stop
				})
			if !errors.Is(err, stop) || asked() != 3 {
				t.Fatalf("got %v after %d requests, want onPage's error after 3", err, asked())
			}
		}
	})
	t.Run("stopped by another area's error: that error is not changed", func(t *testing.T) {
		arrived := make(chan struct{})
		ps := newPageServer(t, func(i int, r *http.Request, _ string) (int, string) {
			if i == 1 {
				close(arrived)
				<-r.Context().Done()
			}
			return 200, page(i, fmt.Sprintf(`"links":{"next":"c%d"}`, i+1))
		})
		c := testClient(t, ps.URL)
		other := &APIError{Method: "GET", Endpoint: "/other", Status: http.StatusUnauthorized}
		ctx, cancel := context.WithCancelCause(context.Background())
		go func() { <-arrived; cancel(fmt.Errorf("fatal: %w", other)) }()
		_, _, err := collectAll(ctx, c, pager{method: "GET", endpoint: "/items", url: c.apiURL("/items")})
		if err == nil || other.Page != 0 {
			t.Errorf("got %v; the other area's error now says page %d, want it unchanged", err, other.Page)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		// The second page is asked for while the first is handed on (one
		// page behind): it answers only when the request is given up, so
		// the count does not depend on which goroutine runs first.
		ps := newPageServer(t, func(i int, r *http.Request, _ string) (int, string) {
			if i > 0 {
				select {
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
				}
			}
			return 200, page(i, fmt.Sprintf(`"links":{"next":"c%d"}`, i+1))
		})
		c := testClient(t, ps.URL)
		ctx, cancel := context.WithCancel(context.Background())
		pages, err := paginate(ctx, c, pager{method: "GET", endpoint: "/items", url: c.apiURL("/items")},
			func([]item) error { cancel(); return nil })
		if !errors.Is(err, context.Canceled) || pages != 1 {
			t.Errorf("got %v after %d pages, want context.Canceled after 1", err, pages)
		}
	})
}

func TestPaginatePOST(t *testing.T) {
	tests := []struct {
		name      string
		next      string
		wantBody2 map[string]any
	}{
		{"bare cursor into the body", `"c2"`, map[string]any{"cursor": "c2", "limit": 100.0, "expand": []any{"platformRoles"}}},
		{"full URL: its cursor parameter", `"https://elsewhere.example/search?cursor=c3"`, map[string]any{"cursor": "c3", "limit": 100.0, "expand": []any{"platformRoles"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bodies []map[string]any
			ps := newPageServer(t, func(i int, r *http.Request, body string) (int, string) {
				var m map[string]any
				_ = json.Unmarshal([]byte(body), &m)
				bodies = append(bodies, m)
				if i == 0 {
					return 200, page(1, `"links":{"next":`+tt.next+`}`)
				}
				return 200, page(2, `"links":{}`)
			})
			c := testClient(t, ps.URL)
			p := pager{method: "POST", endpoint: "/search", url: c.apiURL("/search"),
				body: map[string]any{"expand": []string{"platformRoles"}}, sizeParam: "limit", size: 100, fallback: 50}
			got, _, err := collectAll(context.Background(), c, p)
			if err != nil || len(got) != 2 {
				t.Fatalf("got %v, %v; want 2 items", got, err)
			}
			if _, ok := bodies[0]["cursor"]; ok {
				t.Errorf("the first request sent a cursor: %v", bodies[0])
			}
			if fmt.Sprint(bodies[1]) != fmt.Sprint(tt.wantBody2) {
				t.Errorf("second body: got %v, want %v", bodies[1], tt.wantBody2)
			}
		})
	}
}

func TestPaginatePageSizeFallback(t *testing.T) {
	ps := newPageServer(t, func(i int, r *http.Request, body string) (int, string) {
		if strings.Contains(body, `"limit":100`) {
			return 400, `{"errors":[{"code":"ADMIN-UAM-400-1","title":"Bad Request"}]}`
		}
		return 200, page(i, `"links":{}`)
	})
	c := testClient(t, ps.URL)
	p := pager{method: "POST", endpoint: "/search", url: c.apiURL("/search"), sizeParam: "limit", size: 100, fallback: 50}
	got, pages, err := collectAll(context.Background(), c, p)
	if err != nil || pages != 1 || len(got) != 1 {
		t.Fatalf("got %v after %d pages, %v; want one page", got, pages, err)
	}
	if want := `POST /search {"limit":50}`; ps.asked[1] != want {
		t.Errorf("retry: got %q, want %q", ps.asked[1], want)
	}
}

func TestPaginateNoData(t *testing.T) {
	ps := newPageServer(t, func(int, *http.Request, string) (int, string) { return 200, `{"links":{}}` })
	c := testClient(t, ps.URL)
	_, _, err := collectAll(context.Background(), c, pager{method: "GET", endpoint: "/items", url: c.apiURL("/items")})
	if err == nil || !strings.Contains(err.Error(), "response has no data list") {
		t.Errorf("got %v, want a missing data list to fail the list", err)
	}
}

// TestPaginateCursorAlone: with cursorAlone, the first page carries the
// filters and the page size, every later page the cursor alone (the
// workspaces search refuses anything else).
func TestPaginateCursorAlone(t *testing.T) {
	ps := newPageServer(t, func(i int, r *http.Request, body string) (int, string) {
		if i == 0 {
			return 200, page(1, `"links":{"next":"`+"http://"+r.Host+`/search?cursor=c2&limit=100"}`)
		}
		return 200, page(2, `"links":{"next":null}`)
	})
	c := testClient(t, ps.URL)
	p := pager{method: "POST", endpoint: "/search", url: c.apiURL("/search"), body: map[string]any{"query": "x"},
		sizeParam: "limit", size: 100, cursorAlone: true}
	got, _, err := collectAll(context.Background(), c, p)
	if err != nil || fmt.Sprint(got) != "[1 2]" {
		t.Fatalf("got %v, %v", got, err)
	}
	want := []string{`POST /search {"limit":100,"query":"x"}`, `POST /search {"cursor":"c2"}`}
	if fmt.Sprint(ps.asked) != fmt.Sprint(want) {
		t.Errorf("got requests %q, want %q", ps.asked, want)
	}
}

// TestPaginatePageOfError: an error on a later page names the page, so a
// 404 there (an expired cursor) is not taken for an unknown org.
func TestPaginatePageOfError(t *testing.T) {
	ps := newPageServer(t, func(i int, r *http.Request, _ string) (int, string) {
		if i == 0 {
			return 200, page(1, `"links":{"next":"c2"}`)
		}
		return 404, `{"errors":[{"code":"ADMIN-404-1","title":"Not Found","detail":"the cursor has expired"}]}`
	})
	c := testClient(t, ps.URL)
	_, _, err := collectAll(context.Background(), c, pager{method: "GET", endpoint: "/items", url: c.apiURL("/items")})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Page != 2 || ae.Error() != "GET /items: 404 ADMIN-404-1 Not Found: the cursor has expired (page 2)" {
		t.Errorf("got %v, want a 404 on page 2", err)
	}
}
