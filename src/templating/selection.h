// templating/selection.h — which parts of a value a template reads.
//
// A roster row is an applicant with dozens of members, of which the columns read a few: the writer collects the
// names its texts use into a Selection, and the view builder (templating/view.h) converts only those, so a row
// costs what it shows. Also the form of an @allow list. Members by name, each either whole or only some of its
// parts. A value type; not thread-safe while being built, read-only use is.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace zhiping::templating {

struct Selection {
  bool whole = false;
  std::map<std::string, Selection, std::less<>> members;  // when !whole; looked up by string_view too

  // Selects the value at a dotted path ("education.level") whole.
  void Add(const std::string& dotted);
  // The selection of member `name` (this one when whole), or nullptr when nothing of it is selected.
  const Selection* Member(std::string_view name) const;
};

}  // namespace zhiping::templating
