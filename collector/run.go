package collector

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/atlcheck/atlcheck/internal/attestation"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// run is one collection: the client, the options and the first fatal error.
type run struct {
	c        *client
	opts     Options
	progress Progress
	orgID    string
	// orgListed is true when GET /admin/v1/orgs listed the org: then no
	// other endpoint's 404 can mean a wrong org id.
	orgListed bool

	mu     sync.Mutex
	fatal  error
	cancel context.CancelCauseFunc
	limit  *timeLimit
}

// collect reads every area concurrently (the client bounds the requests in
// flight) and assembles the snapshot. Installed apps wait for the sites.
func (r *run) collect(parent context.Context, org snapshot.Org) (*snapshot.Snapshot, error) {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	r.orgID, r.cancel = org.ID, cancel

	now := r.opts.Now().UTC()
	s := &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		ToolVersion:   r.opts.ToolVersion,
		CollectedAt:   now,
		Org:           org,
	}
	var wg sync.WaitGroup
	sitesDone := make(chan struct{})
	wg.Go(func() {
		defer close(sitesDone)
		s.Sites.Area, s.Sites.Items = runArea(ctx, r, snapshot.AreaSites, r.c.listSites)
	})
	wg.Go(func() {
		s.VerifiedDomains.Area, s.VerifiedDomains.Items = runArea(ctx, r, snapshot.AreaVerifiedDomains, r.c.listVerifiedDomains)
	})
	wg.Go(func() { s.AppAccess.Area, s.AppAccess.Items = runArea(ctx, r, snapshot.AreaAppAccess, r.listAppAccess) })
	wg.Go(func() { s.APIKeys.Area, s.APIKeys.Items = runArea(ctx, r, snapshot.AreaAPIKeys, r.c.listAPIKeys) })
	wg.Go(func() {
		s.APITokens.Area, s.APITokens.Items = runArea(ctx, r, snapshot.AreaAPITokens, r.c.listAPITokens)
	})
	wg.Go(func() {
		s.ManagedAccounts.Area, s.ManagedAccounts.Items = runArea(ctx, r, snapshot.AreaManagedAccounts, r.c.listAccounts)
		s.AuthPolicyMembers = r.authPolicyMembers(ctx, s.ManagedAccounts)
	})
	wg.Go(func() {
		s.OrgPolicies.Area, s.OrgPolicies.Items = runArea(ctx, r, snapshot.AreaOrgPolicies, r.c.listOrgPolicies)
	})
	wg.Go(func() {
		<-sitesDone
		s.ConnectedApps.Installed = r.installedApps(ctx, s.Sites)
	})
	wg.Go(func() {
		s.ServiceAccounts.Area, s.ServiceAccounts.Items = runArea(ctx, r, snapshot.AreaServiceAccounts, r.c.listServiceAccounts)
		s.ServiceAccountTokens = r.serviceAccountTokens(ctx, s.ServiceAccounts)
	})
	wg.Go(func() {
		s.OAuthClients.Area, s.OAuthClients.Items = runArea(ctx, r, snapshot.AreaOAuthClients, r.c.listOAuthClients)
	})
	wg.Go(func() { s.AuditLog = r.auditLog(ctx) })
	wg.Wait()

	if err := interrupted(parent); err != nil {
		return nil, err
	}
	if r.fatal != nil {
		return nil, &FatalError{Err: r.fatal}
	}
	s.CollectedAt = r.opts.Now().UTC() // when collection finished
	s.ConnectedApps.Settings = snapshot.AppSettingsArea{
		Area:  attestation.NotAttested(now, "no attestation file given (--attestation)"),
		Sites: []snapshot.SiteAppSettings{},
	}
	s.ExternalUsers = snapshot.ExternalUsersArea{
		Area:  attestation.NotAttested(now, "no attestation file given (--attestation)"),
		Items: []snapshot.ExternalUserPolicy{},
	}
	s.AuthPolicies = snapshot.AuthPoliciesArea{
		Area:  attestation.NotAttested(now, "no attestation file given (--attestation)"),
		Items: []snapshot.AuthPolicy{},
	}
	return s, nil
}

// fetcher reads one list area, its items and those it could not read; it
// reports pages to the tracker.
type fetcher[T any] func(ctx context.Context, orgID string, t *tracker) ([]T, []snapshot.UnreadableItem, error)

// runArea runs one admin API area: progress, then either the collected
// envelope with the items, or not collected with the error (never nil items).
// A fatal error cancels the whole run.
func runArea[T any](ctx context.Context, r *run, area string, fetch fetcher[T]) (snapshot.Area, []T) {
	ctx = withAreaBudget(ctx, r.opts.MaxAreaBytes)
	r.progress.AreaStarted(area)
	t := &tracker{area: area, progress: r.progress, sized: r.sized}
	items, unreadable, err := fetch(ctx, r.orgID, t)
	if items == nil || err != nil {
		items = []T{}
	}
	if err != nil {
		fatal := r.checkFatal(area, err)
		env := notCollected(snapshot.SourceAPI, r.opts.Now(), err)
		if why := notAvailable(err); why != "" && !fatal {
			env = unavailable(r.opts.Now(), err, why)
			err = errors.New("not available: " + why)
		}
		if fatal || ctx.Err() == nil { // areas cut short by another area's fatal error stay quiet
			r.progress.AreaDone(area, Summary{Items: len(items), Pages: t.pages, Err: err})
		}
		return env, items
	}
	r.progress.AreaDone(area, Summary{Items: len(items), Pages: t.pages, Unreadable: len(unreadable), Note: t.note})
	env := collected(snapshot.SourceAPI, r.opts.Now())
	env.Unreadable = unreadable
	return env, items
}

// sized raises the time limit and the page caps of the lists without a
// count for a counted list of the given longest chain and total pages.
func (r *run) sized(longest, all int) {
	r.limit.sized(longest, all)
	r.c.raiseCap(all)
}

// checkFatal records and propagates the first fatal error; it reports
// whether err was fatal.
func (r *run) checkFatal(area string, err error) bool {
	ferr := r.fatalCause(area, err)
	if ferr == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fatal == nil {
		r.fatal = ferr
		r.cancel(ferr)
	}
	return true
}

// notCollectedFor is the envelope of an area collected for another area's
// items (what names them) when that one was not collected: not collected,
// with the other's reason, and with no source when it had none. The
// progress is told.
func (r *run) notCollectedFor(area string, parent snapshot.Area, what string, now time.Time) snapshot.Area {
	msg := what + " were not collected"
	if parent.Error != nil {
		msg += ": " + parent.Error.Message
	}
	source := snapshot.SourceAPI
	if parent.Source == snapshot.SourceNone {
		source = snapshot.SourceNone
	}
	r.progress.AreaDone(area, Summary{Err: errors.New(msg)})
	return snapshot.Area{Source: source, CollectedAt: &now, Error: &snapshot.AreaError{Message: msg}}
}

// collected is the envelope of a complete area.
func collected(source string, now time.Time) snapshot.Area {
	now = now.UTC()
	return snapshot.Area{Source: source, Collected: true, CollectedAt: &now}
}

// notCollected is the envelope of an area that failed with err.
func notCollected(source string, now time.Time, err error) snapshot.Area {
	now = now.UTC()
	return snapshot.Area{Source: source, Collected: false, CollectedAt: &now, Error: areaError(err)}
}

// unavailable is the envelope of an area whose API answered that it does not
// exist (see removable): no data source, with the API's answer and why.
func unavailable(now time.Time, err error, why string) snapshot.Area {
	now = now.UTC()
	e := areaError(err)
	e.Message = why // status, code and endpoint say what the API answered
	return snapshot.Area{Source: snapshot.SourceNone, Collected: false, CollectedAt: &now, Error: e}
}

// tracker counts an area's pages and items and tells the progress.
type tracker struct {
	area     string
	progress Progress
	// sized is told the pages of a counted area's longest chain and of all
	// its chains (the time limit follows them).
	sized func(longest, all int)
	mu    sync.Mutex
	pages int
	items int
	// note is added to the area's summary ("4 chains").
	note string
}

// expect records what a counted area will take: the pages of its longest
// chain and of all its chains, and its items (-1: not counted).
func (t *tracker) expect(longest, all, items int) {
	if items < 0 {
		return
	}
	if t.sized != nil {
		t.sized(longest, all)
	}
	if e, ok := t.progress.(Expecter); ok {
		e.AreaExpected(t.area, all, items)
	}
}

// restart forgets the pages and items so far (the area is read again).
func (t *tracker) restart() {
	t.mu.Lock()
	t.pages, t.items = 0, 0
	t.mu.Unlock()
}

// page records one fetched page of n items.
func (t *tracker) page(n int) {
	t.mu.Lock()
	t.pages++
	t.items += n
	pages, items := t.pages, t.items
	t.mu.Unlock()
	t.progress.PageFetched(t.area, pages, items)
}

// forEach calls fn for 0..n-1 on at most limit goroutines and returns the
// first error; after an error no new calls start.
func forEach(ctx context.Context, n, limit int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
		next     = make(chan int)
	)
	for range min(limit, n) {
		wg.Go(func() {
			for i := range next {
				if err := fn(ctx, i); err != nil {
					once.Do(func() { firstErr = err; cancel(err) })
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return firstErr
}
