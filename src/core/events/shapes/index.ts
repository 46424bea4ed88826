/**
 * One validating reader per wire format. Each checks types, not just presence,
 * reads wrong-typed fields as absent (or the message as invalid, for signed
 * formats), turns out-of-range times into "no time", and never throws. The
 * fetch recogniser (../fileReferences) and the listener's classification
 * (../../listener/classify) both read events only through these.
 */
export { readKlavi, readKlaviIdentity, klaviUrlLifetimeMs, type KlaviEvent } from './klavi';
export { readVoiceBaseStream, uploadTargetUrlField, type VoiceBaseStream } from './voiceBase';
export { readS3Record, readS3Notification, s3RedeliveryKeys, s3NotificationLabel, type S3ObjectEvent, type S3Notification } from './s3Records';
export { readEventBridgeS3 } from './eventBridge';
export { readSnsMessage, isSnsMessage, snsMessageJson, type SnsMessage, type SnsMessageType, type SnsRead } from './sns';
export { readVkConfirmation, claimsConfirmation, type VkConfirmationFields } from './vkConfirmation';
export { referenceShapes, webhookEventKinds, readReferenceShape, readWebhookEventKind, type ReferenceShape, type WebhookEventKind } from './kinds';
export { parseEventTime, isoOf, isoOrRaw, isValidDate, dateFromMs } from './eventTime';
export { normalizeFieldName, decodeNotificationKey, isHttpUrl, isObject, textField, field, type JsonObject, type JsonPath } from './fields';
