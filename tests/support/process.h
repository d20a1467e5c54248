#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace idpd::testing_support {

// A child process with its stdout and stderr captured in files. Tests end only the processes
// they started, by PID.
class Process {
public:
    Process(std::vector<std::string> argv, const std::map<std::string, std::string>& env,
            const std::filesystem::path& cwd) {
        static int counter = 0;
        auto base = std::filesystem::temp_directory_path() /
                    ("idpd-proc-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        out_path_ = base.string() + ".out";
        err_path_ = base.string() + ".err";
        pid_ = fork();
        if (pid_ == 0) {
            if (!freopen(out_path_.c_str(), "w", stdout) ||
                !freopen(err_path_.c_str(), "w", stderr) || chdir(cwd.c_str()) != 0) {
                _exit(127);
            }
            for (const auto& [k, v] : env) {
                setenv(k.c_str(), v.c_str(), 1);
            }
            std::vector<char*> args;
            for (auto& a : argv) {
                args.push_back(a.data());
            }
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
    }

    ~Process() {
        if (pid_ > 0 && !exited_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        std::filesystem::remove(out_path_);
        std::filesystem::remove(err_path_);
    }

    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    // The exit status, or -1 if the process is still running after `limit`.
    int wait(std::chrono::milliseconds limit = std::chrono::seconds(30)) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (!exited_) {
            int status = 0;
            pid_t r = waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                exited_ = true;
                status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                break;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                return -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return status_;
    }

    void signal(int sig) { kill(pid_, sig); }

    pid_t pid() const { return pid_; }

    std::string out() const { return slurp(out_path_); }

    std::string err() const { return slurp(err_path_); }

    // Waits until stdout contains `text`; false after `limit` or when the process ended.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds limit) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            if (out().find(text) != std::string::npos) {
                return true;
            }
            if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
                exited_ = true;
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

private:
    static std::string slurp(const std::string& path) {
        std::ifstream in(path);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

    pid_t pid_ = -1;
    bool exited_ = false;
    int status_ = -1;
    std::string out_path_;
    std::string err_path_;
};

}  // namespace idpd::testing_support
