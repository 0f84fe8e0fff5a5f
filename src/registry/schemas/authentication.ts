// authentication.k8s.io/v1 kinds (k8s.io/api/authentication/v1), as served by Kubernetes 1.32.
import { arr, bool, described, int64, mapOf, obj, pb, ptr, str, time } from '../../api/schema.js';
import { kind } from './meta.js';

const AUTHN = 'io.k8s.api.authentication.v1';
const GROUP = 'authentication.k8s.io';

export const userInfo = obj(`${AUTHN}.UserInfo`, 'The attributes of an authenticated user.', {
  extra: pb(4, mapOf(arr(str()), 'Additional information from the authenticator.')),
  groups: pb(3, arr(str(), 'Groups the user belongs to.', { listType: 'atomic' })),
  uid: pb(2, str('Identifies the user across time, even if another user later takes the same name.')),
  username: pb(1, str('Name that identifies the user among all active users.')),
});

// ---- TokenRequest ----

export const boundObjectReference = obj(`${AUTHN}.BoundObjectReference`, 'An object a token is bound to.', {
  apiVersion: pb(2, str('API version of the referent.')),
  kind: pb(1, str('Kind of the referent: Pod, Secret or Node.')),
  name: pb(3, str('Name of the referent.')),
  uid: pb(4, str('UID of the referent.')),
});

export const tokenRequestSpec = obj(`${AUTHN}.TokenRequestSpec`, 'What the client asks of a new token.', {
  audiences: pb(1, arr(str(), 'Intended audiences; a recipient must find itself in this list or reject the token.', { listType: 'atomic' })),
  boundObjectRef: pb(3, ptr(described('An object the token is bound to; the token is valid only while it exists.', boundObjectReference))),
  expirationSeconds: pb(4, ptr(int64('Requested validity in seconds; the issuer may choose another, reported in the status.'))),
}, { required: ['audiences'] });

export const tokenRequestStatus = obj(`${AUTHN}.TokenRequestStatus`, 'The issued token.', {
  expirationTimestamp: pb(2, time('When the token expires.')),
  token: pb(1, str('The opaque bearer token.')),
}, { required: ['token', 'expirationTimestamp'] });

export const tokenRequest = kind(GROUP, 'v1', 'TokenRequest', AUTHN, 'Requests a token for a service account.', {
  spec: pb(2, described('What the token should be like.', tokenRequestSpec)),
  status: pb(3, described('The token issued, filled in by the server.', tokenRequestStatus)),
}, { required: ['spec'] });

// ---- TokenReview ----

export const tokenReviewSpec = obj(`${AUTHN}.TokenReviewSpec`, 'The token to authenticate.', {
  audiences: pb(2, arr(str(), 'Audiences the token must be valid for, at least one of them; the API server audiences when empty.', { listType: 'atomic' })),
  token: pb(1, str('The opaque bearer token.')),
});

export const tokenReviewStatus = obj(`${AUTHN}.TokenReviewStatus`, 'The result of authenticating a token.', {
  audiences: pb(4, arr(str(), 'The audiences, among those requested, the token is valid for.', { listType: 'atomic' })),
  authenticated: pb(1, bool('Whether the token belongs to a known user.')),
  error: pb(3, str('Why the token could not be checked.')),
  user: pb(2, described('The user the token belongs to.', userInfo)),
});

export const tokenReview = kind(GROUP, 'v1', 'TokenReview', AUTHN, 'Authenticates a token to a known user; the result may be cached by webhook authenticators.', {
  spec: pb(2, described('The token to review.', tokenReviewSpec)),
  status: pb(3, described('Whether the token is authenticated, filled in by the server.', tokenReviewStatus)),
}, { required: ['spec'] });

// ---- SelfSubjectReview ----

export const selfSubjectReviewStatus = obj(`${AUTHN}.SelfSubjectReviewStatus`, 'The attributes of the user making the request, filled in by the server.', {
  userInfo: pb(1, described('Attributes of the requesting user.', userInfo)),
});

export const selfSubjectReview = kind(GROUP, 'v1', 'SelfSubjectReview', AUTHN, 'Returns the attributes the server authenticated the requesting user with.', {
  status: pb(2, described('The user attributes, filled in by the server.', selfSubjectReviewStatus)),
});
