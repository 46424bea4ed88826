// Loaded before the unit tests (.mocharc.json). The AWS SDK prints a multi-line notice about
// Node 20 support on its first request; the CLI and npm start silence it the same way.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
