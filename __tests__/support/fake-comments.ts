/**
 * Issue (and pull request) comments on the fake GitHub server, added with `fake.route()`:
 * list (paginated), create and update, answering as GitHub's OpenAPI description says
 * (`issue-comment`). Comments live in the returned state object, for tests to read and seed.
 */
import {
  errorBody,
  findRepo,
  notFound,
  numericId,
  paginate,
  userBody,
  type FakeGitHub,
  type RouteContext,
} from './fake-github.js';

export interface FakeComment {
  id: number;
  repository: string;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeComments {
  comments: FakeComment[];
  /** Who the token belongs to: the author of comments it creates. */
  user: string;
  /** Adds a comment as someone else would have written it. */
  seed(repository: string, issueNumber: number, body: string, user: string): FakeComment;
}

function commentBody(context: RouteContext, comment: FakeComment): Record<string, unknown> {
  const { fake } = context;
  const api = `${fake.apiUrl}/repos/${comment.repository}`;
  return {
    id: comment.id,
    node_id: Buffer.from(`010:IssueComment${comment.id}`).toString('base64'),
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${fake.serverUrl}/${comment.repository}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userBody(fake, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    author_association: 'NONE',
  };
}

function bodyOf(context: RouteContext): string | undefined {
  try {
    const parsed = JSON.parse(context.request.body) as { body?: unknown };
    return typeof parsed.body === 'string' ? parsed.body : undefined;
  } catch {
    return undefined;
  }
}

export function serveIssueComments(fake: FakeGitHub, user = 'github-actions[bot]'): FakeComments {
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const now = (): string => new Date((clock += 1000)).toISOString().replace('.000Z', 'Z');
  const state: FakeComments = {
    comments: [],
    user,
    seed(repository, issueNumber, body, author) {
      const at = now();
      const comment = {
        id: numericId(`comment:${state.comments.length}:${repository}`),
        repository,
        issueNumber,
        body,
        user: author,
        createdAt: at,
        updatedAt: at,
      };
      state.comments.push(comment);
      return comment;
    },
  };
  const repositoryOf = (context: RouteContext): string | undefined => {
    const repo = findRepo(context.fake, context.params);
    return repo ? `${repo.owner}/${repo.name}` : undefined;
  };
  fake.route({
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    operationId: 'issues/list-comments',
    handle: (context) => {
      const repository = repositoryOf(context);
      if (!repository) return notFound();
      const number = Number(context.params.issue_number);
      return paginate(
        context,
        state.comments
          .filter((comment) => comment.repository === repository && comment.issueNumber === number)
          .map((comment) => commentBody(context, comment)),
      );
    },
  });
  fake.route({
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    operationId: 'issues/create-comment',
    handle: (context) => {
      const repository = repositoryOf(context);
      if (!repository) return notFound();
      const body = bodyOf(context);
      if (body === undefined) return { status: 422, body: errorBody('Validation Failed') };
      const comment = state.seed(repository, Number(context.params.issue_number), body, state.user);
      return {
        status: 201,
        body: commentBody(context, comment),
        headers: { location: `${context.fake.apiUrl}/repos/${repository}/issues/comments/${comment.id}` },
      };
    },
  });
  fake.route({
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    operationId: 'issues/update-comment',
    handle: (context) => {
      const repository = repositoryOf(context);
      const comment = state.comments.find(
        (candidate) =>
          candidate.repository === repository && candidate.id === Number(context.params.comment_id),
      );
      if (!comment) return notFound();
      if (comment.user !== state.user) {
        return { status: 403, body: errorBody('Resource not accessible by integration') };
      }
      const body = bodyOf(context);
      if (body === undefined) return { status: 422, body: errorBody('Validation Failed') };
      comment.body = body;
      comment.updatedAt = now();
      return { status: 200, body: commentBody(context, comment) };
    },
  });
  return state;
}
