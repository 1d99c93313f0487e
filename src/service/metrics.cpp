#include "service/metrics.h"

#include <cstdio>
#include <sstream>
#include <tuple>

namespace zhiping::service {

namespace {

std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

Metrics& Metrics::Global() {
  static Metrics* m = new Metrics;  // never destroyed: handlers may record while the process exits
  return *m;
}

Metrics::Histogram Metrics::NewHistogram() {
  Histogram h;
  h.bounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  h.counts.assign(h.bounds.size(), 0);
  return h;
}

void Metrics::Histogram::Observe(double v) {
  for (size_t i = 0; i < bounds.size(); ++i)
    if (v <= bounds[i]) {
      ++counts[i];
      break;
    }
  sum += v;
  ++count;
}

void Metrics::Request(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{method, route, status}];
  auto it = request_seconds_.find(route);
  if (it == request_seconds_.end()) it = request_seconds_.emplace(route, NewHistogram()).first;
  it->second.Observe(seconds);
}

void Metrics::Stage(const std::string& stage, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stage_seconds_.find(stage);
  if (it == stage_seconds_.end()) it = stage_seconds_.emplace(stage, NewHistogram()).first;
  it->second.Observe(seconds);
}

void Metrics::DocumentIssued(const std::string& template_name) {
  std::lock_guard<std::mutex> lock(mu_);
  ++issued_[template_name];
}

void Metrics::SetGauge(const std::string& name, const std::string& help, std::function<double()> value) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_[name] = Gauge{help, "", std::move(value), nullptr};
}

void Metrics::SetGaugeFamily(const std::string& name, const std::string& help, const std::string& label,
                             std::function<std::map<std::string, double>()> values) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_[name] = Gauge{help, label, nullptr, std::move(values)};
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::ostringstream out;
  out << "# HELP zhiping_http_requests_total HTTP requests by method, route pattern and status.\n"
         "# TYPE zhiping_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "zhiping_http_requests_total{method=\"" << Escape(method) << "\",route=\"" << Escape(route)
        << "\",status=\"" << status << "\"} " << n << "\n";
  }
  auto histograms = [&](const char* name, const char* help, const char* label,
                        const std::map<std::string, Histogram>& family) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " histogram\n";
    for (const auto& [value, h] : family) {
      unsigned long long cumulative = 0;
      for (size_t i = 0; i < h.bounds.size(); ++i) {
        cumulative += h.counts[i];
        out << name << "_bucket{" << label << "=\"" << Escape(value) << "\",le=\"" << Number(h.bounds[i]) << "\"} "
            << cumulative << "\n";
      }
      out << name << "_bucket{" << label << "=\"" << Escape(value) << "\",le=\"+Inf\"} " << h.count << "\n";
      out << name << "_sum{" << label << "=\"" << Escape(value) << "\"} " << Number(h.sum) << "\n";
      out << name << "_count{" << label << "=\"" << Escape(value) << "\"} " << h.count << "\n";
    }
  };
  histograms("zhiping_http_request_duration_seconds", "Time to answer a request, by route pattern.", "route",
             request_seconds_);
  histograms("zhiping_stage_duration_seconds", "Time spent per document in each stage (render, sign, archive).",
             "stage", stage_seconds_);
  out << "# HELP zhiping_documents_issued_total Documents signed and archived as a new version, by template.\n"
         "# TYPE zhiping_documents_issued_total counter\n";
  for (const auto& [t, n] : issued_) out << "zhiping_documents_issued_total{template=\"" << Escape(t) << "\"} " << n << "\n";
  for (const auto& [name, g] : gauges_) {
    out << "# HELP " << name << " " << g.help << "\n# TYPE " << name << " gauge\n";
    if (g.value) {
      out << name << " " << Number(g.value()) << "\n";
    } else if (g.values) {
      for (const auto& [v, x] : g.values()) out << name << "{" << g.label << "=\"" << Escape(v) << "\"} " << Number(x) << "\n";
    }
  }
  return out.str();
}

}  // namespace zhiping::service
