// A real OpenID Connect provider for Baton's browser tests (panva's oidc-provider).
// Usage: node provider.mjs PORT REDIRECT_URI [REDIRECT_URI ...]
// Its login page (devInteractions) takes any login and password; the login is the
// account's e-mail. Prints "ready" once it listens on 127.0.0.1:PORT.
import Provider from 'oidc-provider';

const [port, ...redirectUris] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'baton',
      client_secret: 'baton-test-client-secret-0123456789abcdef',
      redirect_uris: redirectUris,
      // Streamlit's st.logout comes back through the same /oauth2callback address.
      post_logout_redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Streamlit reads who signed in from the ID token, so the claims go into it.
  conformIdTokenClaims: false,
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['baton-test-cookie-key'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: id.split('@')[0] };
      },
    };
  },
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log('ready');
});
