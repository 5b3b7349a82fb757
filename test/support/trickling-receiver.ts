import { createServer, type Server, type Socket } from 'node:net';

/**
 * A raw TCP receiver on 127.0.0.1 that writes `answer` one byte every `everyMs` to each connection and never closes
 * by itself: a callback target that holds a client with per-read timeouts forever.
 */
export const startTricklingReceiver = async (answer: string, everyMs: number) => {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    let at = 0;
    const timer = setInterval(() => {
      if (at < answer.length && !socket.destroyed) socket.write(answer[at++] ?? '');
    }, everyMs);
    socket.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};

/** An HTTP answer head of about 500 bytes: sent a byte every 20 ms, it takes 10 s. */
export const SLOW_HEAD = `HTTP/1.1 200 OK\r\n${'X-Slow: 1\r\n'.repeat(40)}Content-Length: 0\r\n\r\n`;
