// A real OpenID Provider for the sign-in tests (panva's oidc-provider, certified): code flow with PKCE,
// RP-initiated logout, two clients (the e-ID broker and the municipality's staff IdP). Started by the pytest
// fixture in tests/identity/conftest.py: `node op.js` with OP_PORT and OP_CONFIG (a JSON file of clients and
// test accounts). The sign-in page is a plain form: pick the test account, no password.
import fs from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.OP_PORT || 4455);
const config = JSON.parse(fs.readFileSync(process.env.OP_CONFIG, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;
const accounts = config.accounts; // id -> { claims: {...}, acr, amr: [...] }

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    redirect_uris: c.redirect_uris,
    post_logout_redirect_uris: c.post_logout_redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  claims: {
    openid: ['sub', 'acr', 'amr', 'auth_time'], // acr and amr in every ID token (Entra ID and brokers send them)
    profile: ['name', 'given_name', 'family_name'],
    email: ['email'],
    // The e-ID broker's identity number under a name of its own (the product reads it from a setting).
    eid: ['personal_identity_number', 'ssn'],
    groups: ['groups'],
  },
  acrValues: ['http://id.elegnamnden.se/loa/1.0/loa2', 'http://id.elegnamnden.se/loa/1.0/loa3', 'urn:mfa', 'urn:pwd'],
  conformIdTokenClaims: false, // the claims of the scopes in the ID token too (as many brokers do)
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['jobbtorg-test-op-cookie-key'] },
  findAccount: async (ctx, id) => {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
});
provider.proxy = false;

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params } = details;
  if (prompt.name === 'login' && ctx.method === 'GET') {
    const options = Object.keys(accounts)
      .map((id) => `<button type="submit" name="account" value="${escape(id)}">${escape(id)}</button>`)
      .join('\n');
    ctx.type = 'html';
    ctx.body = `<!doctype html><html><head><title>Test OP sign-in</title></head><body>
      <h1>Test identity provider</h1><p>Client: ${escape(params.client_id)}</p>
      <form method="post" action="/interaction/${escape(details.uid)}">${options}</form></body></html>`;
    return undefined;
  }
  if (prompt.name === 'login') {
    const body = await new Promise((resolve) => {
      let data = '';
      ctx.req.on('data', (chunk) => { data += chunk; });
      ctx.req.on('end', () => resolve(new URLSearchParams(data)));
    });
    const id = body.get('account');
    const account = accounts[id];
    if (!account) { ctx.status = 400; ctx.body = 'unknown account'; return undefined; }
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, {
      login: { accountId: id, acr: account.acr, amr: account.amr, remember: false },
    }, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
    return undefined;
  }
  // Consent: granted at once for the scopes and claims asked for (a broker asks the person; not our test).
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } });
  ctx.status = 303;
  ctx.redirect(returnTo);
  return undefined;
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`test OP listening on ${issuer}`);
});
