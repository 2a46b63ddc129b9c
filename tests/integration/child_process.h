// ChildProcess: runs a command with stdin from a file, captures stdout and stderr, and can be
// killed. Test-only; POSIX.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace alertdigest::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ChildProcess {
 public:
  // `env` entries ("NAME=value") are added to the inherited environment.
  ChildProcess(std::vector<std::string> argv, const std::string& stdin_path,
               const std::string& work_dir, std::vector<std::string> env = {}) {
    out_path_ = work_dir + "/.child.out";
    err_path_ = work_dir + "/.child.err";
    pid_ = fork();
    if (pid_ == 0) {
      int in = open(stdin_path.empty() ? "/dev/null" : stdin_path.c_str(), O_RDONLY);
      int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(in, 0);
      dup2(out, 1);
      dup2(err, 2);
      if (chdir(work_dir.c_str()) != 0) _exit(127);
      for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  void Kill() { kill(pid_, SIGKILL); }
  ProcessResult Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    ProcessResult r;
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    r.out = ReadFile(out_path_);
    r.err = ReadFile(err_path_);
    return r;
  }

 private:
  pid_t pid_ = -1;
  std::string out_path_, err_path_;
};

inline ProcessResult RunToEnd(std::vector<std::string> argv, const std::string& stdin_path,
                              const std::string& work_dir, std::vector<std::string> env = {}) {
  return ChildProcess(std::move(argv), stdin_path, work_dir, std::move(env)).Wait();
}

}  // namespace alertdigest::testing
