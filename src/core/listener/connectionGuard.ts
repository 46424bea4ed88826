import type { Socket } from 'node:net';

interface SocketState {
  /** Requests in progress on it. */
  busy: number;
  /** Requests it has completed (a keep-alive connection with none in progress is idle). */
  served: number;
}

/**
 * The listener's connections and their cap. Node's own `maxConnections`
 * refuses the NEW connection at the cap, which lets a few hundred idle or
 * slow clients lock every real provider out; here the cap is made room for by
 * dropping, in order: the oldest idle keep-alive connection, then the oldest
 * connection that has not finished sending a request's headers. Only when
 * every connection is busy with a request is the new one refused.
 */
export class ConnectionGuard {
  /** In arrival order, so the first match is the oldest. */
  private readonly sockets = new Map<Socket, SocketState>();

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.sockets.size;
  }

  /** A new connection: make room if the cap is reached (or refuse it), and track it. */
  accept(socket: Socket): void {
    if (this.sockets.size >= this.cap && !this.evictOne()) {
      socket.destroy();
      return;
    }
    this.sockets.set(socket, { busy: 0, served: 0 });
    socket.once('close', () => this.sockets.delete(socket));
  }

  requestStarted(socket: Socket): void {
    const state = this.sockets.get(socket);
    if (state) {
      state.busy++;
    }
  }

  requestEnded(socket: Socket): void {
    const state = this.sockets.get(socket);
    if (state) {
      state.busy = Math.max(0, state.busy - 1);
      state.served++;
    }
  }

  private evictOne(): boolean {
    let headerless: Socket | undefined;
    for (const [socket, state] of this.sockets) {
      if (state.busy === 0 && state.served > 0) {
        this.drop(socket);
        return true;
      }
      if (state.busy === 0 && headerless === undefined) {
        headerless = socket;
      }
    }
    if (headerless) {
      this.drop(headerless);
      return true;
    }
    return false;
  }

  private drop(socket: Socket): void {
    this.sockets.delete(socket);
    socket.destroy();
  }

  /** Closes every connection (the listener stops). */
  destroyAll(): void {
    for (const socket of this.sockets.keys()) {
      socket.destroy();
    }
    this.sockets.clear();
  }
}
