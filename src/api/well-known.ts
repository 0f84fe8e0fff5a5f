// Names Kubernetes gives a meaning to, which several parts of Badge share: labels, annotations,
// finalizers, Secret types and keys, and the objects every namespace holds.

/** The ServiceAccount a pod runs as when it names none (and every namespace gets). */
export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** The ConfigMap with the cluster's CA that every namespace gets. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/** The namespace finalizer the namespace controller removes once the namespace is empty. */
export const FINALIZER_KUBERNETES = 'kubernetes';

export const SECRET_TYPE_SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';
export const SERVICE_ACCOUNT_NAME_KEY = 'kubernetes.io/service-account.name';
export const SERVICE_ACCOUNT_UID_KEY = 'kubernetes.io/service-account.uid';
/** When a legacy token Secret was last used (a date), and since when it is invalid. */
export const LAST_USED_LABEL = 'kubernetes.io/legacy-token-last-used';
export const INVALID_SINCE_LABEL = 'kubernetes.io/legacy-token-invalid-since';

export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';
/** apps/v1 DeprecatedTemplateGeneration: a DaemonSet's template generation, which its pods carry as pod-template-generation. */
export const DAEMONSET_TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** The signer of client certificates for the API server (certificates.k8s.io/v1 KubeAPIServerClientSignerName). */
export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
/** The signerName only the v1beta1 API allowed (LegacyUnknownSignerName). */
export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';
