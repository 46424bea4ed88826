export { forwardTarget, forwardToProblem, forwardHeaders, type ForwardOrigin } from './forwardRequest';
export {
  forwardOnce,
  forwardWithRetries,
  appAnswerSummary,
  defaultRetryDelaysMs,
  recordedAnswerBytes,
  type AppAnswer,
  type ForwardableRequest,
  type ForwardOptions,
  type ForwardResult,
} from './forwarder';
export { storedEventRequest } from './storedEvent';
