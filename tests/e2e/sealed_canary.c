/* The sealed e2e tests' image program (docker_sealed.sh, podman_sealed.sh), built static.
 * Writes /proof/<name>-<tag> (and, run from /injection, a mark next to itself) so a test can
 * tell whether a refused container ran; with the tag "serve" it stays up until SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static void bye(int sig) { (void)sig; _exit(0); }
static void mark(const char* dir, const char* name, const char* tag) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s-%s", dir, name, tag);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) { dprintf(fd, "uid=%d\n", (int)getuid()); close(fd); }
  else printf("cannot write %s: errno %d\n", path, errno);
}
int main(int argc, char** argv) {
  const char* tag = argc > 1 ? argv[1] : "default";
  char self[512];
  snprintf(self, sizeof self, "%s", argv[0]);
  char* slash = strrchr(self, '/');
  const char* name = slash ? slash + 1 : self;
  mark("/proof", name, tag);
  /* The injected payload also leaves a mark next to itself, in the host directory. */
  if (slash && strncmp(self, "/injection/", 11) == 0) { *slash = '\0'; mark(self, name, tag); }
  printf("sealed-app %s ran: tag=%s uid=%d\n", name, tag, (int)getuid());
  fflush(stdout);
  if (strcmp(tag, "serve") == 0) { signal(SIGTERM, bye); sleep(120); }
  return 0;
}
