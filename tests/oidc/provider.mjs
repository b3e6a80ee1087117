// A real OpenID Connect provider for the test suite: panva's certified `oidc-provider`.
//
// tests/oidc/fixtures.py starts it as `node provider.mjs <config.json>` and waits for "ready".
// The configuration file names the issuer, port, signing keys, clients and people:
//
//   {"issuer": "http://127.0.0.1:PORT", "port": PORT, "jwks": {"keys": [<private JWK>]},
//    "clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//    "accounts": {"<login>": {"email": ..., "hsa_id": ..., "given_name": ..., ...}},
//    "idTokenTtl": 3600, "clockOffsetSeconds": 0}
//
// People sign in on the provider's own development pages (any password; the login is the
// account id). A login missing from "accounts" is still a valid person at the provider, with
// an e-mail address of its own: someone the IdP knows but the product does not.
// `clockOffsetSeconds` runs the provider's clock that much behind (a drifting IdP): with a
// short idTokenTtl its ID tokens have expired before the product reads them.
import { readFileSync } from "node:fs";

import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));

if (config.clockOffsetSeconds) {
  const realNow = Date.now;
  Date.now = () => realNow() - config.clockOffsetSeconds * 1000;
}

const accounts = config.accounts || {};

const provider = new Provider(config.issuer, {
  clients: config.clients.map((client) => ({
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: "client_secret_post",
    ...client,
  })),
  jwks: config.jwks,
  cookies: { keys: ["test-only-cookie-key"] },
  pkce: { required: () => true },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name"],
    hsa: ["hsa_id"],
  },
  scopes: ["openid", "email", "profile", "hsa"],
  ttl: { IdToken: config.idTokenTtl || 3600 },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  async findAccount(ctx, sub) {
    const person = accounts[sub] || { email: `${sub}@idp.example.se` };
    return {
      accountId: sub,
      async claims() {
        return { sub, email_verified: true, ...person };
      },
    };
  },
  // A region's own IdP does not ask its staff to consent to an internal service: grant the
  // scopes the client asked for, so the test sees the product's side of the flow.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.params.scope || "openid");
    await grant.save();
    return grant;
  },
});

provider.on("server_error", (ctx, error) => console.error("server_error", error));

provider.listen(config.port, "127.0.0.1", () => {
  console.log(`ready ${config.issuer}`);
});
