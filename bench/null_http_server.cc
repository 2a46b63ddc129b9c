// The ceiling of the intake benchmark: an HTTP/1.1 server that does no work at all. It reads
// each request (head, then Content-Length bytes of body) and answers 200 with an empty body, on
// one thread with epoll, keep-alive, no parsing beyond that. Whatever rate wrk reaches against
// it on this machine is the most any server can show in bench/run_intake: the load generator
// and the kernel's loopback take the rest of the two cores.
//   null_http_server PORT      (listens on 127.0.0.1:PORT until killed)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kReply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

struct Connection {
  int fd;
  std::string in;
};

// Bytes of the first complete request in `in` (head and body), or 0 while it is incomplete.
size_t CompleteRequest(std::string_view in) {
  size_t head_end = in.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return 0;
  size_t body = 0;
  std::string_view head = in.substr(0, head_end);
  for (size_t pos = 0; pos < head.size();) {
    size_t eol = head.find("\r\n", pos);
    std::string_view line = head.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    constexpr std::string_view kLength = "content-length:";
    if (line.size() > kLength.size() &&
        std::equal(kLength.begin(), kLength.end(), line.begin(),
                   [](char a, char b) { return a == (b | 0x20); })) {
      std::string_view v = line.substr(kLength.size());
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      std::from_chars(v.data(), v.data() + v.size(), body);
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 2;
  }
  size_t total = head_end + 4 + body;
  return in.size() >= total ? total : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: null_http_server PORT\n");
    return 2;
  }
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[1])));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 128) != 0) {
    std::perror("null_http_server: bind/listen");
    return 1;
  }
  int epoll = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the listener
  epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &ev);
  epoll_event events[64];
  char buffer[1 << 16];
  for (;;) {
    int n = epoll_wait(epoll, events, 64, -1);
    for (int i = 0; i < n; ++i) {
      auto* c = static_cast<Connection*>(events[i].data.ptr);
      if (!c) {
        int fd = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
        if (fd < 0) continue;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        epoll_event cev{};
        cev.events = EPOLLIN;
        cev.data.ptr = new Connection{fd, {}};
        epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &cev);
        continue;
      }
      ssize_t got = read(c->fd, buffer, sizeof buffer);
      if (got <= 0) {
        close(c->fd);
        delete c;
        continue;
      }
      c->in.append(buffer, static_cast<size_t>(got));
      std::string out;
      while (size_t used = CompleteRequest(c->in)) {
        out += kReply;
        c->in.erase(0, used);
      }
      if (!out.empty() && write(c->fd, out.data(), out.size()) < 0) std::perror("write");
    }
  }
}
