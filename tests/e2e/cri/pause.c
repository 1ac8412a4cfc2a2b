/* The pod sandbox ("pause") program of the CRI end-to-end test: holds the pod's namespaces
 * until told to stop, as Kubernetes' pause does. Built static, it is the only file of the
 * test's sandbox image (FROM scratch), so no registry is needed. */
#include <signal.h>
#include <unistd.h>

static void quit(int sig) { _exit(sig == SIGTERM || sig == SIGINT ? 0 : 1); }

int main(void) {
  signal(SIGTERM, quit);
  signal(SIGINT, quit);
  for (;;) pause();
}
