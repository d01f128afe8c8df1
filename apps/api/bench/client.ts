/** Minimal GraphQL-over-HTTP client with one session cookie (what the web app sends). */
export class GqlClient {
  private cookie: string | undefined;

  constructor(private readonly endpoint: string) {}

  async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await fetch(this.endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0];
    const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    if (res.status !== 200 || body.errors?.length || !body.data) {
      const why = body.errors?.map((e) => `${e.extensions?.code ?? "ERROR"}: ${e.message}`).join("; ") ?? `HTTP ${res.status}`;
      throw new Error(`GraphQL request failed: ${why}`);
    }
    return body.data;
  }

  async login(email: string, password: string): Promise<void> {
    const data = await this.request<{ authLogin: { viewer: { roles: string[] } | null; userErrors: { message: string }[] } }>(
      `mutation Login($e: String!, $p: String!) { authLogin(input: { email: $e, password: $p }) { viewer { roles } userErrors { message } } }`,
      { e: email, p: password },
    );
    if (!data.authLogin.viewer || !this.cookie) {
      throw new Error(`login failed for ${email}: ${data.authLogin.userErrors.map((e) => e.message).join("; ")}`);
    }
  }
}
