export { parseTunnelSpec, tunnelLaunch, findOnPath, installHint, TunnelError, type TunnelSpec, type TunnelLaunch } from './tunnelCommand';
export { readTunnelLine, ngrokApiPublicUrl, type TunnelKind } from './tunnelOutput';
export { startTunnel, type RunningTunnel, type StartTunnelOptions } from './tunnel';
