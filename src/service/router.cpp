#include "service/router.h"

#include <Poco/URI.h>

#include <algorithm>

namespace zhiping::service {

namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 1;  // paths start with '/'
  if (path.empty() || path[0] != '/') return parts;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool Decode(const std::string& in, std::string* out) {
  try {
    out->clear();
    Poco::URI::decode(in, *out);
    return true;
  } catch (...) {
    return false;
  }
}

bool MatchPattern(const std::string& pattern, const std::string& path, std::map<std::string, std::string>* params) {
  std::vector<std::string> want = Split(pattern), have = Split(path);
  params->clear();
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    bool is_param = w.size() > 2 && w.front() == '{' && w.back() == '}';
    if (is_param && w.size() > 5 && w.compare(w.size() - 4, 4, "...}") == 0) {
      if (i >= have.size()) return false;
      std::string rest;
      for (size_t j = i; j < have.size(); ++j) rest += (j > i ? "/" : "") + have[j];
      std::string decoded;
      if (rest.empty() || !Decode(rest, &decoded)) return false;
      (*params)[w.substr(1, w.size() - 5)] = decoded;
      return true;
    }
    if (i >= have.size()) return false;
    if (is_param) {
      std::string decoded;
      if (have[i].empty() || !Decode(have[i], &decoded)) return false;
      (*params)[w.substr(1, w.size() - 2)] = decoded;
    } else if (w != have[i]) {
      return false;
    }
  }
  return want.size() == have.size();
}

}  // namespace

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

Router::Match Router::Resolve(const std::string& method, const std::string& path) const {
  Match m;
  std::map<std::string, std::string> params;
  for (const Route& r : routes_) {
    if (!MatchPattern(r.pattern, path, &params)) continue;
    if (r.method == method) {
      m.route = &r;
      m.params = params;
      m.allowed.clear();
      return m;
    }
    if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end()) m.allowed.push_back(r.method);
  }
  return m;
}

}  // namespace zhiping::service
