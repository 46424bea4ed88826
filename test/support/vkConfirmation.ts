/** The VK Cloud / Hotbox sample confirmation of FORMATS.md §3, and its fields as the signature takes them. */
export const vkConfirmation = {
  Timestamp: '2021-04-22T16:48:37+03:00',
  Type: 'SubscriptionConfirmation',
  Message: 'You have chosen to subscribe to the topic $topic\nTo confirm the subscription you need to response with calculated signature',
  TopicArn: 'mcs00000000|test|s3:ObjectCreated:Put',
  SignatureVersion: 1,
  Token: '9fbYYWYGANVGeQ3s9VKxrYgynwqu65PwQ6zr7bVvU4WKXf2W',
};

export const vkConfirmationFields = { topicArn: vkConfirmation.TopicArn, timestamp: vkConfirmation.Timestamp, token: vkConfirmation.Token };
