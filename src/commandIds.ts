/**
 * Every command id S3 Hooks contributes, in one table. package.json's
 * `contributes.commands` must list exactly these (a unit test checks it).
 */
export const CommandIds = {
  showLog: 's3Hooks.showLog',
  createPresignedPutUrl: 's3Hooks.createPresignedPutUrl',
  createCallbackJson: 's3Hooks.createCallbackJson',
  testPresignedPutUrl: 's3Hooks.testPresignedPutUrl',
  setAccessKeys: 's3Hooks.setAccessKeys',
  clearAccessKeys: 's3Hooks.clearAccessKeys',
  startWebhookListener: 's3Hooks.startWebhookListener',
  stopWebhookListener: 's3Hooks.stopWebhookListener',
  showWebhookListenerMenu: 's3Hooks.showWebhookListenerMenu',
  sendTestEvent: 's3Hooks.sendTestEvent',
  computeConfirmationSignature: 's3Hooks.computeConfirmationSignature',
  verifyConfirmationSignature: 's3Hooks.verifyConfirmationSignature',
  openWebhookEvent: 's3Hooks.openWebhookEvent',
  fetchWebhookEventFile: 's3Hooks.fetchWebhookEventFile',
  openReceivedFile: 's3Hooks.openReceivedFile',
  replayWebhookEvent: 's3Hooks.replayWebhookEvent',
  copyWebhookEventAsCurl: 's3Hooks.copyWebhookEventAsCurl',
  saveWebhookEventAsFixture: 's3Hooks.saveWebhookEventAsFixture',
  confirmSnsSubscription: 's3Hooks.confirmSnsSubscription',
  deleteWebhookEvent: 's3Hooks.deleteWebhookEvent',
  clearWebhookEvents: 's3Hooks.clearWebhookEvents',
  fetchFromEvent: 's3Hooks.fetchFromEvent',
  openDownload: 's3Hooks.openDownload',
  revealDownload: 's3Hooks.revealDownload',
  retryDownload: 's3Hooks.retryDownload',
  cancelDownload: 's3Hooks.cancelDownload',
  copyDownloadUrl: 's3Hooks.copyDownloadUrl',
  openDownloadSource: 's3Hooks.openDownloadSource',
  removeDownload: 's3Hooks.removeDownload',
  deleteDownloadFile: 's3Hooks.deleteDownloadFile',
  clearRecentDownloads: 's3Hooks.clearRecentDownloads',
  openGettingStarted: 's3Hooks.openGettingStarted',
  resignPresignedUrl: 's3Hooks.resignPresignedUrl',
  resignExpiredUrls: 's3Hooks.resignExpiredUrls',
  setCallbackMethodPut: 's3Hooks.setCallbackMethodPut',
  trackCallbackDeliveries: 's3Hooks.trackCallbackDeliveries',
  refreshCallbackDeliveries: 's3Hooks.refreshCallbackDeliveries',
  fetchDeliveredResult: 's3Hooks.fetchDeliveredResult',
  copyPresignedGetUrl: 's3Hooks.copyPresignedGetUrl',
  untrackCallbackDocument: 's3Hooks.untrackCallbackDocument',
  createPresignedGetUrl: 's3Hooks.createPresignedGetUrl',
  createPresignedPost: 's3Hooks.createPresignedPost',
  startPublicTunnel: 's3Hooks.startPublicTunnel',
  stopPublicTunnel: 's3Hooks.stopPublicTunnel',
  copyPublicUrl: 's3Hooks.copyPublicUrl',
  setWebhookSigningSecret: 's3Hooks.setWebhookSigningSecret',
  clearWebhookSigningSecrets: 's3Hooks.clearWebhookSigningSecrets',
  forwardWebhookEventAgain: 's3Hooks.forwardWebhookEventAgain',
  filterWebhookEvents: 's3Hooks.filterWebhookEvents',
  clearWebhookEventsFilter: 's3Hooks.clearWebhookEventsFilter',
  compareWebhookEventWithPrevious: 's3Hooks.compareWebhookEventWithPrevious',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

/** View ids, as declared in package.json `contributes.views`. */
export const ViewIds = {
  container: 's3Hooks',
  recentDownloads: 's3Hooks.recentDownloads',
  webhookEvents: 's3Hooks.webhookEvents',
  callbackDeliveries: 's3Hooks.callbackDeliveries',
} as const;

/** Walkthrough ids, as declared in package.json `contributes.walkthroughs` (VS Code prefixes them with `<publisher>.<name>#`). */
export const WalkthroughIds = {
  gettingStarted: 's3Hooks.gettingStarted',
} as const;
