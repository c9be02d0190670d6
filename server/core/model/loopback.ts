// Where the offline demo provider (demoServer.ts) and the tests' mock providers listen.
import type { Server } from "node:http";
import type { Server as TlsServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface LoopbackListener {
  readonly port: number;
  /** Stops listening and drops open connections: a streaming answer or a kept-alive socket would hold close() open. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, on a port the system picks. */
export async function listenOnLoopback(server: Server | TlsServer): Promise<LoopbackListener> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}
