// What the tutorial's objects look like on a real 1.32 cluster with one node, shared by the
// end-to-end tests.
import { hostname } from 'node:os';

/** The tutorial's manifests, cleaned up. */
export const EXAMPLES = '/work/shared/seed/examples';

/** The server's own node, which the scheduler binds every pod to. */
export const NODE = hostname().toLowerCase();

/** The first line of the error for a change to a pod's spec beyond what may change. */
export const POD_UPDATE_FORBIDDEN =
  'The Pod "my-app" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** `kubectl get pod my-app -o yaml` for 03-pod-with-sa.yaml: the `spec:` section (token volume suffix as xxxxx). */
export const MY_APP_SPEC = `spec:
  containers:
  - image: nginx:1.25
    imagePullPolicy: IfNotPresent
    name: app
    resources: {}
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
    volumeMounts:
    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      name: kube-api-access-xxxxx
      readOnly: true
  dnsPolicy: ClusterFirst
  enableServiceLinks: true
  nodeName: ${NODE}
  preemptionPolicy: PreemptLowerPriority
  priority: 0
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  serviceAccount: my-app-sa
  serviceAccountName: my-app-sa
  terminationGracePeriodSeconds: 30
  tolerations:
  - effect: NoExecute
    key: node.kubernetes.io/not-ready
    operator: Exists
    tolerationSeconds: 300
  - effect: NoExecute
    key: node.kubernetes.io/unreachable
    operator: Exists
    tolerationSeconds: 300
  volumes:
  - name: kube-api-access-xxxxx
    projected:
      defaultMode: 420
      sources:
      - serviceAccountToken:
          expirationSeconds: 3607
          path: token
      - configMap:
          items:
          - key: ca.crt
            path: ca.crt
          name: kube-root-ca.crt
      - downwardAPI:
          items:
          - fieldRef:
              apiVersion: v1
              fieldPath: metadata.namespace
            path: namespace
`;
