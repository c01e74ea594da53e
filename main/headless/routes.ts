// The HTTP face of the Api: one table, each route reading its input and delegating to the
// service, which validates everything itself (main/core/schemas.ts): the casts below only
// name what the service will check, they promise nothing.
import type { IncomingMessage } from 'node:http';
import type { BlueskyCredentials, FeedInput, FeedPatch, MastodonCredentials, OAuth1Credentials, OAuth2AppInput, PreviewOptions, Settings } from '../../preload/contract';
import type { AppService } from '../core/app-service';
import { localDayKey } from '../core/tasks/pacing';
import { redirectUriForOrigin } from '../core/x/oauth2/authorize-url';
import { HttpError } from '../shell/http-error';
import { readJson, readOpmlText } from './request-body';
import { stateOptionsFromQuery } from './state-query';

export type RouteResult =
  | { status: number; json: unknown }
  | { status: 204 }
  | { status: number; text: string; contentType: string; headers?: Record<string, string> }
  | { stream: true };

export interface RouteContext {
  req: IncomingMessage;
  params: string[];
  service: AppService;
  headless: boolean;
}

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: RegExp;
  handle(ctx: RouteContext): Promise<RouteResult>;
}

const ID = '([^/]+)';
const noContent = { status: 204 } as const;
const ok = (json: unknown): RouteResult => ({ status: 200, json });

function notSupportedHeadless(): never {
  throw new HttpError(501, 'not-supported',
    'Connecting an X account is a desktop flow; headless Crier reads CRIER_X_APP_KEY, CRIER_X_APP_SECRET, CRIER_X_ACCESS_TOKEN and CRIER_X_ACCESS_SECRET from its environment.');
}

/** Routes without input still reject a body that is not JSON (415) or not JSON at all (400). */
async function noInput(req: IncomingMessage): Promise<void> {
  await readJson(req);
}

function jsonObject(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'validation', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/**
 * A command about one account or all: `{}` (or no body) for all (the default account, for the
 * account routes), `{ "accountId": "…" }` for one. The service checks the id itself.
 */
async function accountInput(req: IncomingMessage): Promise<string | undefined> {
  const body = jsonObject(await readJson(req));
  const unknown = Object.keys(body).filter((key) => key !== 'accountId');
  if (unknown.length > 0) throw new HttpError(400, 'validation', `Unknown field: ${unknown[0]}. The body names at most an accountId.`);
  return body.accountId === undefined ? undefined : body.accountId as string;
}

/** A bulk command's body: `{ "ids": [...] }`; the service checks the list itself. */
function idsOf(body: unknown): string[] {
  return jsonObject(body).ids as string[];
}

export const ROUTES: Route[] = [
  { method: 'GET', path: /^\/api\/state$/, handle: async ({ req, service }) => ok(await service.getState(stateOptionsFromQuery(req))) },
  // A bad ?taskLimit= is refused here, before the stream's headers go out; the hub reads it again.
  { method: 'GET', path: /^\/api\/events$/, handle: async ({ req }) => { stateOptionsFromQuery(req); return { stream: true }; } },
  {
    method: 'POST', path: /^\/api\/feeds$/,
    handle: async ({ req, service }) => ({ status: 201, json: await service.addFeed((await readJson(req)) as FeedInput) }),
  },
  {
    method: 'PATCH', path: new RegExp(`^/api/feeds/${ID}$`),
    handle: async ({ req, params, service }) => ok(await service.updateFeed(params[0]!, (await readJson(req)) as FeedPatch)),
  },
  {
    method: 'DELETE', path: new RegExp(`^/api/feeds/${ID}$`),
    handle: async ({ req, params, service }) => { await noInput(req); await service.removeFeed(params[0]!); return noContent; },
  },
  {
    method: 'POST', path: new RegExp(`^/api/feeds/${ID}/poll$`),
    handle: async ({ req, params, service }) => { await noInput(req); await service.pollNow(params[0]!); return noContent; },
  },
  { method: 'POST', path: /^\/api\/poll$/, handle: async ({ req, service }) => { await noInput(req); await service.pollNow(); return noContent; } },
  {
    method: 'POST', path: /^\/api\/preview$/,
    handle: async ({ req, service }) => {
      const { url, ...options } = jsonObject(await readJson(req));
      return ok(await service.previewFeed(url as string, options as PreviewOptions));
    },
  },
  {
    method: 'POST', path: /^\/api\/tasks\/retry-failed$/,
    handle: async ({ req, service }) => { await noInput(req); return ok({ retried: await service.retryAllFailed() }); },
  },
  {
    method: 'POST', path: /^\/api\/tasks\/retry$/,
    handle: async ({ req, service }) => ok({ retried: await service.retryTasks(idsOf(await readJson(req))) }),
  },
  {
    method: 'POST', path: /^\/api\/tasks\/cancel$/,
    handle: async ({ req, service }) => ok({ cancelled: await service.cancelTasks(idsOf(await readJson(req))) }),
  },
  {
    method: 'POST', path: /^\/api\/tasks\/approve$/,
    handle: async ({ req, service }) => ok({ approved: await service.approveTasks(idsOf(await readJson(req))) }),
  },
  {
    method: 'POST', path: /^\/api\/tasks\/skip$/,
    handle: async ({ req, service }) => ok({ skipped: await service.skipTasks(idsOf(await readJson(req))) }),
  },
  {
    method: 'POST', path: new RegExp(`^/api/tasks/${ID}/delete-post$`),
    handle: async ({ req, params, service }) => { await noInput(req); return ok(await service.deletePost(params[0]!)); },
  },
  {
    method: 'GET', path: /^\/api\/skipped$/,
    handle: async ({ req, service }) => {
      const feedId = new URL(req.url ?? '/', 'http://localhost').searchParams.get('feedId');
      return ok(await service.listSkipped(feedId ?? undefined));
    },
  },
  {
    method: 'POST', path: new RegExp(`^/api/skipped/${ID}/post$`),
    handle: async ({ req, params, service }) => { await noInput(req); return ok(await service.postSkipped(params[0]!)); },
  },
  {
    method: 'POST', path: /^\/api\/tasks\/remove$/,
    handle: async ({ req, service }) => ok({ removed: await service.removeTasks(idsOf(await readJson(req))) }),
  },
  {
    method: 'GET', path: /^\/api\/tasks\/export$/,
    handle: async ({ req, service }) => {
      const format = new URL(req.url ?? '/', 'http://localhost').searchParams.get('format') ?? 'csv';
      const text = await service.exportTasks(format as 'csv' | 'json');
      return {
        status: 200, text, contentType: format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
        headers: { 'Content-Disposition': `attachment; filename="crier-tasks-${localDayKey(Date.now())}.${format}"` },
      };
    },
  },
  {
    method: 'POST', path: new RegExp(`^/api/tasks/${ID}/post-now$`),
    handle: async ({ req, params, service }) => { await noInput(req); return ok(await service.postTask(params[0]!)); },
  },
  {
    method: 'POST', path: new RegExp(`^/api/tasks/${ID}/undo-cancel$`),
    handle: async ({ req, params, service }) => { await noInput(req); return ok(await service.undoCancel(params[0]!)); },
  },
  {
    method: 'POST', path: new RegExp(`^/api/tasks/${ID}/retry$`),
    handle: async ({ req, params, service }) => { await noInput(req); return ok(await service.retryTask(params[0]!)); },
  },
  {
    method: 'POST', path: new RegExp(`^/api/tasks/${ID}/cancel$`),
    handle: async ({ req, params, service }) => { await noInput(req); return ok(await service.cancelTask(params[0]!)); },
  },
  {
    method: 'POST', path: new RegExp(`^/api/tasks/${ID}/edit$`),
    handle: async ({ req, params, service }) => {
      const { text, expectedUpdatedAt } = jsonObject(await readJson(req));
      return ok(await service.editTask(params[0]!, text as string, expectedUpdatedAt as string));
    },
  },
  {
    method: 'POST', path: /^\/api\/history\/clear$/,
    handle: async ({ req, service }) => { await noInput(req); return ok({ cleared: await service.clearHistory() }); },
  },
  {
    method: 'POST', path: new RegExp(`^/api/notices/${ID}/dismiss$`),
    handle: async ({ req, params, service }) => { await noInput(req); await service.dismissNotice(params[0]!); return noContent; },
  },
  { method: 'POST', path: /^\/api\/account\/test$/, handle: async ({ req, service }) => ok(await service.testConnection(await accountInput(req))) },
  {
    method: 'POST', path: /^\/api\/account\/connect$/,
    handle: async ({ req, service, headless }) => {
      if (headless) notSupportedHeadless();
      return ok(await service.connectX((await readJson(req)) as OAuth1Credentials));
    },
  },
  {
    // Headless, an OAuth 2.0 account can be disconnected; keys from the environment answer 501 (the service says so).
    method: 'POST', path: /^\/api\/account\/disconnect$/,
    handle: async ({ req, service }) => ok(await service.disconnectX(await accountInput(req))),
  },
  {
    // The callback is this server's own origin, as the browser reached it (the Host was checked):
    // the cookie it holds for that host comes back on the way from /oauth2/callback to the settings.
    method: 'POST', path: /^\/api\/x\/oauth2\/start$/,
    handle: async ({ req, service }) => ok(await service.startXOAuth2At((await readJson(req)) as OAuth2AppInput, redirectUriForOrigin(`http://${req.headers.host ?? ''}`))),
  },
  { method: 'POST', path: /^\/api\/accounts\/bluesky$/, handle: async ({ req, service }) => ok(await service.connectBluesky((await readJson(req)) as BlueskyCredentials)) },
  { method: 'POST', path: /^\/api\/accounts\/mastodon$/, handle: async ({ req, service }) => ok(await service.connectMastodon((await readJson(req)) as MastodonCredentials)) },
  { method: 'POST', path: /^\/api\/pause$/, handle: async ({ req, service }) => { await service.pause(await accountInput(req)); return noContent; } },
  { method: 'POST', path: /^\/api\/resume$/, handle: async ({ req, service }) => { await service.resume(await accountInput(req)); return noContent; } },
  {
    method: 'PUT', path: /^\/api\/settings$/,
    handle: async ({ req, service }) => ok(await service.updateSettings((await readJson(req)) as Partial<Settings>)),
  },
  {
    method: 'GET', path: /^\/api\/opml$/,
    handle: async ({ service }) => ({
      status: 200, text: await service.exportOpml(), contentType: 'text/x-opml; charset=utf-8',
      headers: { 'Content-Disposition': 'attachment; filename="crier-feeds.opml"' },
    }),
  },
  { method: 'POST', path: /^\/api\/opml$/, handle: async ({ req, service }) => ok(await service.importOpml(await readOpmlText(req))) },
  {
    method: 'POST', path: /^\/api\/logs\/open$/,
    handle: async ({ req, service, headless }) => {
      if (headless) throw new HttpError(501, 'not-supported', 'Headless Crier writes its log to standard error (the terminal or the service manager\'s journal); there is no logs folder to open.');
      await noInput(req);
      await service.openLogsFolder();
      return noContent;
    },
  },
];

/** The route for a path and method; a known path with another method is a 405 naming the allowed ones. */
export function matchRoute(method: string, pathname: string): { route: Route; params: string[] } {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const m = route.path.exec(pathname);
    if (!m) continue;
    if (route.method === method) {
      const params = m.slice(1).map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          throw new HttpError(400, 'validation', 'The path is not validly encoded.');
        }
      });
      return { route, params };
    }
    allowed.push(route.method);
  }
  if (allowed.length > 0) {
    throw new HttpError(405, 'method-not-allowed', `${method} is not allowed here; use ${allowed.join(' or ')}.`, undefined, { Allow: allowed.join(', ') });
  }
  throw new HttpError(404, 'not-found', `There is no API route ${pathname.slice(0, 200)}.`);
}
