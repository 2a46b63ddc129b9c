// alertdigest: monitoring alerts in, a few good emails out. See README.md and plugin/README.md.
#include <iostream>

#include "app/commands.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);  // lets the reader see what stdin has buffered
  return alertdigest::Main(argc, argv);
}
