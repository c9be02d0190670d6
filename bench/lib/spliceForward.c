// The floor of any relay on this kernel, for bench/cases/proxy.mjs: a TCP forwarder from a
// 127.0.0.1 port to <upstreamHost>:<upstreamPort> that moves bytes with splice(2) through a pipe,
// never copying them into user space, one thread per direction. No HTTP, no policy. Prints its port.
// Built by the bench with the machine's C compiler (skipped when there is none); not part of the
// daemon.
//
//   cc -O2 -pthread -o spliceForward spliceForward.c && ./spliceForward 127.0.0.2 8080
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static struct sockaddr_in upstream;

struct direction {
  int from, to;
};

static void *pump(void *arg) {
  struct direction *d = arg;
  int pipefd[2];
  if (pipe(pipefd) != 0) goto done;
  fcntl(pipefd[1], F_SETPIPE_SZ, CHUNK);
  for (;;) {
    ssize_t n = splice(d->from, NULL, pipefd[1], NULL, CHUNK, SPLICE_F_MOVE);
    if (n <= 0) break;
    while (n > 0) {
      ssize_t m = splice(pipefd[0], NULL, d->to, NULL, (size_t)n, SPLICE_F_MOVE);
      if (m <= 0) goto closed;
      n -= m;
    }
  }
closed:
  close(pipefd[0]);
  close(pipefd[1]);
done:
  shutdown(d->to, SHUT_WR); // half-close, as the proxy's relay does
  return NULL;
}

static void *connection(void *arg) {
  int client = (int)(long)arg;
  int up = socket(AF_INET, SOCK_STREAM, 0);
  if (up < 0 || connect(up, (struct sockaddr *)&upstream, sizeof upstream) != 0) {
    close(client);
    if (up >= 0) close(up);
    return NULL;
  }
  struct direction toUpstream = {client, up}, toClient = {up, client};
  pthread_t a, b;
  pthread_create(&a, NULL, pump, &toUpstream);
  pthread_create(&b, NULL, pump, &toClient);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  close(client);
  close(up);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: spliceForward <upstreamHost> <upstreamPort>\n");
    return 2;
  }
  upstream.sin_family = AF_INET;
  upstream.sin_port = htons((unsigned short)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &upstream.sin_addr) != 1) {
    fprintf(stderr, "spliceForward: bad address %s\n", argv[1]);
    return 2;
  }
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in self = {.sin_family = AF_INET, .sin_port = 0};
  inet_pton(AF_INET, "127.0.0.1", &self.sin_addr);
  socklen_t len = sizeof self;
  if (listener < 0 || bind(listener, (struct sockaddr *)&self, sizeof self) != 0 || listen(listener, 128) != 0 ||
      getsockname(listener, (struct sockaddr *)&self, &len) != 0) {
    perror("spliceForward: listen");
    return 1;
  }
  printf("%d\n", ntohs(self.sin_port));
  fflush(stdout);
  for (;;) {
    int client = accept(listener, NULL, NULL);
    if (client < 0) continue;
    pthread_t t;
    if (pthread_create(&t, NULL, connection, (void *)(long)client) != 0) close(client);
    else pthread_detach(t);
  }
}
