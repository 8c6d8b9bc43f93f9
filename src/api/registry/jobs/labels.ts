/**
 * The labels that tie a Job to its pods, as upstream's batch/v1 constants: the Job strategy
 * writes them into the pod template (and the generated selector) on create, and the Job
 * controller reads them. The legacy unprefixed pair is still written by upstream 1.32.
 */
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
/** Finalizer the Job controller puts on each pod it creates, removed once the pod is counted. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** Annotation a Job created by `kubectl create job --from=cronjob/x` or a CronJob carries. */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/**
 * Annotation (and, with PodIndexLabel, label) carrying an Indexed Job pod's completion index;
 * the pod's JOB_COMPLETION_INDEX env var reads it through the downward API.
 */
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/**
 * backoffLimitPerIndex bookkeeping on an Indexed Job's pods (upstream's
 * JobIndexFailureCountAnnotation / JobIndexIgnoredFailureCountAnnotation): the failures of the
 * pod's index before it, counted and ignored by the podFailurePolicy.
 */
export const JOB_INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
export const JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION =
  'batch.kubernetes.io/job-index-ignored-failure-count';
