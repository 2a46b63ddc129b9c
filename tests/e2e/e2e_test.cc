// End-to-end: the real clients (Prometheus 2.42, Alertmanager 0.25, Nagios 4.4, amtool) against
// a real `alertdigest serve`, each on its own loopback port and temp dir; the file transport's
// .eml files are the observable result. Every test skips when a binary is missing (scripts/setup
// installs the clients) or when this alertdigest has no `serve` verb yet.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "e2e/e2e_harness.h"

namespace alertdigest::e2e {
namespace {

using std::chrono::seconds;

// The binary under test: AD_E2E_BINARY overrides the build tree's.
bool HasServe() {
  std::string out;
  if (!fs::exists(AlertdigestBinary())) return false;
  RunCapture(AlertdigestBinary() + " serve --help", &out);
  return out.find("\n  serve ") != std::string::npos;
}

class E2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HasServe()) GTEST_SKIP() << AlertdigestBinary() << " has no `serve` verb (yet)";
    port_ = FreePort();
    fs::create_directory(dir_ / "outbox");
    WriteFile(dir_ / "config.toml", "[server]\nlisten = \"127.0.0.1:" + std::to_string(port_) +
                                        "\"\n"
                                        "[storage]\npath = \"state.db\"\n"
                                        "[delivery]\ntransport = \"file\"\nfile_dir = \"outbox\"\n"
                                        "[defaults]\ngroup_wait = \"1s\"\ngroup_interval = \"2s\"\n"
                                        "repeat_interval = \"1h\"\n"
                                        "[route]\nreceiver = \"ops\"\ngroup_by = [\"alertname\"]\n"
                                        "[[receiver]]\nname = \"ops\"\nto = [\"ops@example.com\"]\n");
    server_ = std::make_unique<Process>(
        "alertdigest", std::vector<std::string>{AlertdigestBinary(), "serve", "-c", "config.toml"},
        dir_.path(), dir_.path());
    bool ready = WaitFor(seconds(10), [&] { return Http(port_, "GET", "/readyz").status == 200; });
    ASSERT_TRUE(ready) << "alertdigest serve not ready on port " << port_ << "\n" << AllLogs();
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << AllLogs();
    for (auto& p : clients_) p->Stop();
    if (server_) server_->Stop();
  }

  Process& Start(const std::string& name, std::vector<std::string> argv,
                 std::vector<std::string> env = {}) {
    clients_.push_back(std::make_unique<Process>(name, std::move(argv), dir_.path(), dir_.path(),
                                                 std::move(env)));
    return *clients_.back();
  }

  std::string AllLogs() const {
    std::string s = "---- logs in " + dir_.path() + " ----\n";
    if (server_) s += server_->Logs();
    for (const auto& p : clients_) s += p->Logs();
    s += "---- mails ----\n";
    for (const std::string& m : Mails()) s += m.substr(0, 1500) + "\n--\n";
    return s;
  }

  // The .eml files delivered so far, in name order.
  std::vector<std::string> Mails() const {
    std::vector<std::string> names, out;
    for (const auto& e : fs::directory_iterator(dir_ / "outbox"))
      if (e.path().extension() == ".eml") names.push_back(e.path().string());
    std::sort(names.begin(), names.end());
    for (const auto& n : names) out.push_back(ReadFile(n));
    return out;
  }

  // True once some mail mentions `text` and, when `resolved`, lists resolved alerts.
  bool MailWith(const std::string& text, bool resolved = false) const {
    for (const std::string& m : Mails()) {
      if (m.find(text) == std::string::npos) continue;
      if (!resolved || m.find("RESOLVED (") != std::string::npos) return true;
    }
    return false;
  }

  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Process> server_;
  std::vector<std::unique_ptr<Process>> clients_;
};

bool Have(const char* path) { return access(path, X_OK) == 0; }

TEST_F(E2ETest, PrometheusAlertsBecomeMailsIncludingAResolvedOne) {
  if (!Have("/usr/bin/prometheus")) GTEST_SKIP() << "prometheus not installed";
  int prom_port = FreePort();
  long resolve_at = static_cast<long>(std::time(nullptr)) + 16;  // fires at ~7 s, ends at 16 s
  WriteFile(dir_ / "rules.yml",
            "groups:\n- name: e2e\n  interval: 1s\n  rules:\n"
            "  - alert: E2EStaysFiring\n    expr: vector(1)\n    for: 6s\n"
            "    labels: {severity: critical}\n    annotations: {summary: \"stays firing\"}\n"
            "  - alert: E2EResolves\n    expr: vector(time()) < " + std::to_string(resolve_at) + "\n"
            "    for: 6s\n    labels: {severity: warning}\n"
            "    annotations: {summary: \"resolves after a few seconds\"}\n");
  WriteFile(dir_ / "prometheus.yml",
            "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            "rule_files: [rules.yml]\n"
            "alerting:\n  alertmanagers:\n  - api_version: v2\n    path_prefix: /\n"
            "    static_configs: [{targets: ['127.0.0.1:" + std::to_string(port_) + "']}]\n");
  Process& prom = Start("prometheus", {"/usr/bin/prometheus", "--config.file=prometheus.yml",
                       "--storage.tsdb.path=prom-data",
                       "--web.listen-address=127.0.0.1:" + std::to_string(prom_port),
                       "--rules.alert.resend-delay=1s"});
  EXPECT_TRUE(WaitFor(seconds(45), [&] {
    return !prom.Running() ||
           (MailWith("E2EStaysFiring") && MailWith("E2EResolves", /*resolved=*/true));
  }) && prom.Running()) << "no firing E2EStaysFiring and resolved E2EResolves mails";
}

TEST_F(E2ETest, AlertmanagerWebhookBecomesAMail) {
  if (!Have("/usr/bin/prometheus-alertmanager")) GTEST_SKIP() << "alertmanager not installed";
  int am_port = FreePort();
  WriteFile(dir_ / "alertmanager.yml",
            "route: {receiver: ad, group_by: [alertname], group_wait: 1s, group_interval: 2s, "
            "repeat_interval: 1h}\n"
            "receivers:\n- name: ad\n  webhook_configs:\n  - url: 'http://127.0.0.1:" +
                std::to_string(port_) + "/webhook/alertmanager'\n    send_resolved: true\n");
  Start("alertmanager",
        {"/usr/bin/prometheus-alertmanager", "--config.file=alertmanager.yml",
         "--storage.path=am-data", "--web.listen-address=127.0.0.1:" + std::to_string(am_port),
         "--cluster.listen-address="});
  ASSERT_TRUE(WaitFor(seconds(15), [&] { return Http(am_port, "GET", "/-/ready").status == 200; }))
      << "alertmanager not ready";
  HttpResponse r = Http(am_port, "POST", "/api/v2/alerts",
                        R"([{"labels":{"alertname":"E2EViaAlertmanager","severity":"warning"},)"
                        R"("annotations":{"summary":"sent through Alertmanager's webhook"}}])");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(WaitFor(seconds(30), [&] { return MailWith("E2EViaAlertmanager"); }));
}

TEST_F(E2ETest, AmtoolListsTheActiveAlerts) {
  if (!Have("/usr/bin/amtool")) GTEST_SKIP() << "amtool not installed";
  HttpResponse r = Http(port_, "POST", "/api/v2/alerts",
                        R"([{"labels":{"alertname":"E2EForAmtool","instance":"db-1"}}])");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string out;
  int rc = RunCapture("/usr/bin/amtool alert query --alertmanager.url=http://127.0.0.1:" +
                          std::to_string(port_),
                      &out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("E2EForAmtool"), std::string::npos) << out;
}

// Nagios 4 in the foreground with one host and one service whose check reads a file the test
// writes: CRITICAL, then OK. The notification command is `alertdigest nagios`.
TEST_F(E2ETest, NagiosProblemAndRecoveryBecomeMails) {
  if (!Have("/usr/sbin/nagios4")) GTEST_SKIP() << "nagios4 not installed";
  std::string help;
  RunCapture(AlertdigestBinary() + " nagios --help", &help);
  if (help.find("usage: alertdigest nagios") == std::string::npos)
    GTEST_SKIP() << "this alertdigest has no `nagios` verb yet";
  std::string d = dir_.path();
  fs::create_directories(dir_ / "nagios/var/spool/checkresults");
  WriteFile(dir_ / "check.sh", "#!/bin/sh\nread code msg < \"$1\" || exit 3\necho \"$msg\"\n"
                               "exit \"$code\"\n");
  fs::permissions(dir_ / "check.sh", fs::perms::owner_all);
  WriteFile(dir_ / "state-host", "0 PING OK\n");
  WriteFile(dir_ / "state-disk", "2 DISK CRITICAL - /srv 97% used on 'db-1' & more\n");
  std::string user = getenv("USER") ? getenv("USER") : "root";
  std::string notify = AlertdigestBinary() + " nagios -c " + d + "/config.toml";
  std::string args =
      " \"$NOTIFICATIONTYPE$\" \"$HOSTNAME$\" \"$SERVICEDESC$\" \"$SERVICESTATE$\" "
      "\"$SERVICEOUTPUT$\" \"$LONGDATETIME$\" \"$CONTACTEMAIL$\" \"$HOSTSTATE$\" \"$HOSTOUTPUT$\" "
      "\"$HOSTADDRESS$\" \"$HOSTALIAS$\" \"$CONTACTNAME$\" \"$CONTACTPAGER$\" "
      "\"$HOSTNOTIFICATIONNUMBER$\" \"$SERVICENOTIFICATIONNUMBER$\" \"$LONGSERVICEOUTPUT$\" "
      "\"$NOTIFICATIONAUTHOR$\" \"$NOTIFICATIONCOMMENT$\" \"$TIMET$\"";
  WriteFile(dir_ / "nagios/objects.cfg",
            "define timeperiod {\n timeperiod_name always\n alias always\n"
            " monday 00:00-24:00\n tuesday 00:00-24:00\n wednesday 00:00-24:00\n"
            " thursday 00:00-24:00\n friday 00:00-24:00\n saturday 00:00-24:00\n"
            " sunday 00:00-24:00\n}\n"
            "define command {\n command_name check-file\n command_line " + d +
                "/check.sh $ARG1$\n}\n"
                "define command {\n command_name notify-alertdigest\n command_line " + notify +
                args + "\n}\n"
                "define contact {\n contact_name oncall\n email oncall@example.test\n"
                " host_notification_period always\n service_notification_period always\n"
                " host_notification_options d,u,r\n service_notification_options w,u,c,r\n"
                " host_notification_commands notify-alertdigest\n"
                " service_notification_commands notify-alertdigest\n}\n"
                "define host {\n host_name e2e-host\n alias E2E Host\n address 127.0.0.1\n"
                " check_command check-file!" + d + "/state-host\n check_interval 2\n"
                " retry_interval 1\n max_check_attempts 1\n check_period always\n"
                " contacts oncall\n notification_interval 60\n notification_period always\n}\n"
                "define service {\n host_name e2e-host\n service_description E2E Disk\n"
                " check_command check-file!" + d + "/state-disk\n check_interval 1\n"
                " retry_interval 1\n max_check_attempts 1\n check_period always\n"
                " contacts oncall\n notification_interval 60\n notification_period always\n"
                " first_notification_delay 0\n}\n");
  WriteFile(dir_ / "nagios/nagios.cfg",
            "cfg_file=" + d + "/nagios/objects.cfg\n"
            "log_file=" + d + "/nagios/var/nagios.log\n"
            "object_cache_file=" + d + "/nagios/var/objects.cache\n"
            "precached_object_file=" + d + "/nagios/var/objects.precache\n"
            "status_file=" + d + "/nagios/var/status.dat\n"
            "temp_file=" + d + "/nagios/var/nagios.tmp\n"
            "temp_path=" + d + "/nagios/var\n"
            "lock_file=" + d + "/nagios/var/nagios.lock\n"
            "check_result_path=" + d + "/nagios/var/spool/checkresults\n"
            "state_retention_file=" + d + "/nagios/var/retention.dat\n"
            "nagios_user=" + user + "\nnagios_group=" + user + "\n"
            "check_external_commands=0\nretain_state_information=0\n"
            "use_retained_program_state=0\nuse_retained_scheduling_info=0\n"
            "interval_length=1\nenable_environment_macros=1\nenable_notifications=1\n"
            "execute_service_checks=1\nexecute_host_checks=1\nenable_flap_detection=0\n"
            "max_service_check_spread=1\nmax_host_check_spread=1\n"
            "check_result_reaper_frequency=1\nuse_syslog=0\nlog_notifications=1\n"
            "illegal_macro_output_chars=`~$&|'\"<>\n");
  Process& nagios =
      Start("nagios", {"/usr/sbin/nagios4", d + "/nagios/nagios.cfg"}, {"PATH=/usr/bin:/bin"});
  EXPECT_TRUE(WaitFor(seconds(30), [&] { return MailWith("E2E Disk"); }))
      << "no PROBLEM mail\n" << ReadFile(dir_ / "nagios/var/nagios.log");
  WriteFile(dir_ / "state-disk", "0 DISK OK - /srv 41% used\n");
  EXPECT_TRUE(WaitFor(seconds(30), [&] { return MailWith("E2E Disk", /*resolved=*/true); }))
      << "no RECOVERY mail\n" << ReadFile(dir_ / "nagios/var/nagios.log");
  nagios.Stop();
}

}  // namespace
}  // namespace alertdigest::e2e
