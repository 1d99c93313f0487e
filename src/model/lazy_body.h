// model/lazy_body.h — a large body kept as text, its big lists located but not parsed (part of the model stage:
// the JSON is read here and nowhere later; RosterValidation and ParseBulkLetter take its elements).
//
// A roster of 100,000 applicants is ~55 MB of JSON text and ~4 KiB per applicant once parsed into Poco objects
// (over 400 MiB). LazyBody scans the text once, keeps the byte range of every element of the top-level lists it
// is asked for (`applicants`, `results`), and parses the rest (the "envelope": batch and friends, with those lists
// emptied) as usual. Elements are parsed one at a time, when needed, through a Reader.
//
// The text can stay where it is: in a caller's string, or in a file that is read with pread() piece by piece (the
// file is never held in memory, so a roster's memory does not grow with the file). The file must not change while
// the body is in use.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Parser.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_dom.h"
#include "common/messages.h"

namespace zhiping::model {

class LazyBody {
 public:
  // One element of a located list: where its text is, and its first character ('{' for an object).
  struct Element {
    uint64_t begin = 0;
    uint32_t size = 0;
    char first = 0;
  };
  // Every element is counted; the first kMaxLocatedElements are located. A longer list is over every roster
  // limit (100,000 rows): its tail is counted for the "at most" problem, never held (16 bytes an element would
  // make a 128 MiB body of `{}` cost 700 MB) and not checked.
  static constexpr size_t kMaxLocatedElements = 250000;
  struct List {
    std::string name;
    std::vector<Element> elements;  // the first kMaxLocatedElements
    uint64_t count = 0;             // all of them
  };

  // Locates the top-level members named in `lists` whose value is an array. Members that are not arrays, and
  // every other member, are parsed with the envelope. Throws zhiping::Error kInvalidInput (one problem at "",
  // rule "malformed JSON at line L, column C: …") when the text outside the elements is not JSON; an element's own syntax is checked
  // when it is parsed (Reader). A body that is not an object is parsed whole (the envelope is then that value).
  static LazyBody FromText(std::string text, const std::vector<std::string>& lists);
  // Borrows `text`, which must outlive the body (Renderer::Render's argument).
  static LazyBody FromView(const std::string& text, const std::vector<std::string>& lists);
  // Reads `path` in pieces; kNotFound naming the path when it cannot be opened.
  static LazyBody FromFile(const std::string& path, const std::vector<std::string>& lists);

  LazyBody(LazyBody&&) noexcept;
  LazyBody& operator=(LazyBody&&) noexcept;
  ~LazyBody();

  // The body with the located lists' elements left out (each located list is an empty array here).
  const Poco::Dynamic::Var& envelope() const { return envelope_; }
  // A located list, or nullptr (not asked for, absent, or not an array: then the envelope holds the value).
  const List* Find(const std::string& name) const;

  struct Source;  // where the text is (a string, or a file read with pread)

  // Parses elements. One Reader per thread (it keeps a parser and a buffer); the body itself is shared read-only.
  class Reader {
   public:
    explicit Reader(const LazyBody& body);
    // Element `index` of `list`, parsed (common/json_sax.h, which builds the tree TryParseJson would, or
    // TryParseJson itself when that declines). Throws zhiping::Error kInvalidInput "malformed JSON at line L, column C:
    // … (in /list/index)", the position counted in the whole body,
    // when its text is not JSON.
    Poco::Dynamic::Var Parse(const List& list, size_t index);
    // The same element in the form the model's checks read (common/json_dom.h), which costs a fraction of the
    // Poco tree: valid until the next ParseValue call on this reader. Throws as Parse does.
    const JsonValue& ParseValue(const List& list, size_t index);
    // A top-level string member of an object element, read without parsing the element (join keys): true and
    // *text = its characters ("" when the member is absent). False when that cannot be told cheaply (the element
    // is not an object, the value is not a plain string, escapes): the caller then parses the element.
    bool PlainMember(const List& list, size_t index, const std::string& key, std::string* text);

   private:
    // The element's text: a view of the body's own text when it is in memory, else of a window read from the file
    // (valid until the next call). Reading a file forward (element after element, as the validator and the writer
    // do), a window reads kReadAhead bytes at once and serves the next elements from them; a jump reads the element
    // alone. Two windows, because a roster's rows often walk two lists side by side (each applicant, then the
    // result it joins): each list keeps reading ahead in its own window instead of every element being a jump.
    std::string_view Text(const Element& e);
    static constexpr size_t kReadAhead = 64 * 1024;
    struct Window {
      std::string bytes;
      uint64_t begin = 0;  // where bytes start in the body
      uint64_t used = 0;   // clock_ at the last use
    };
    const LazyBody* body_;
    Poco::JSON::Parser parser_;
    Window windows_[2];
    uint64_t clock_ = 0;
    std::string text_;           // an element copied for TryParseJson (the fallback of the fast parse)
    JsonDom dom_;                // ParseValue's
  };

 private:
  LazyBody();
  void Scan(const std::vector<std::string>& lists);
  void ScanText(const std::vector<std::string>& lists);
  // Throws the malformed-JSON Error for a byte offset of the body, with its line and column (no position for
  // std::string_view::npos).
  [[noreturn]] void MalformedAt(uint64_t offset, const Message& why) const;

  std::unique_ptr<Source> source_;
  std::vector<List> lists_;
  Poco::Dynamic::Var envelope_;
};

}  // namespace zhiping::model
