// service/metrics.h — what GET /metrics reports, in the Prometheus text format (version 0.0.4).
//
// One registry per process (Global()): request counters by route pattern and status, latency histograms for
// requests and for the render / sign / archive stages, documents issued, and gauges read when scraped (queue depth,
// jobs by state). Recording is a mutex and a few additions; nothing here does I/O.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace zhiping::service {

class Metrics {
 public:
  static Metrics& Global();

  void Request(const std::string& method, const std::string& route, int status, double seconds);
  void Stage(const std::string& stage, double seconds);  // "render", "sign", "archive"
  void DocumentIssued(const std::string& template_name);
  // A gauge computed when scraped; `labels` empty for a plain gauge, else label name -> value per series.
  void SetGauge(const std::string& name, const std::string& help, std::function<double()> value);
  void SetGaugeFamily(const std::string& name, const std::string& help, const std::string& label,
                      std::function<std::map<std::string, double>()> values);

  std::string Render() const;

 private:
  struct Histogram {
    std::vector<double> bounds;
    std::vector<unsigned long long> counts;  // cumulative at render time, per bucket here
    double sum = 0;
    unsigned long long count = 0;
    void Observe(double v);
  };
  static Histogram NewHistogram();
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, unsigned long long> requests_;
  std::map<std::string, Histogram> request_seconds_;  // by route
  std::map<std::string, Histogram> stage_seconds_;    // by stage
  std::map<std::string, unsigned long long> issued_;  // by template
  struct Gauge {
    std::string help, label;
    std::function<double()> value;
    std::function<std::map<std::string, double>()> values;
  };
  std::map<std::string, Gauge> gauges_;
};

}  // namespace zhiping::service
