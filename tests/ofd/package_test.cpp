// Tests for ofd/package.h: a package written and read back is the same files; hostile ZIPs are refused with why.
#include "ofd/package.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "common/error.h"

namespace zhiping::ofd {
namespace {

Package Sample() {
  Package p;
  p.Put("OFD.xml", "<ofd:OFD/>");
  p.Put("Doc_0/Document.xml", std::string(5000, 'x'));
  p.Put("Doc_0/Res/photo.png", "\x89PNG not really", false);
  return p;
}

std::string ErrorOf(const std::string& zip, const ReadLimits& limits = ReadLimits()) {
  try {
    ReadZip(zip, limits);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    return e.what();
  }
  return "";
}

TEST(ofd_Package, WrittenAndReadBackIsTheSameFilesInTheSameOrder) {
  const Package p = Sample();
  const Package back = ReadZip(WriteZip(p));
  ASSERT_EQ(back.files.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back.files[i].path, p.files[i].path);
    EXPECT_EQ(back.files[i].bytes, p.files[i].bytes);
    EXPECT_EQ(back.files[i].compress, p.files[i].compress);
  }
}

TEST(ofd_Package, WritingIsDeterministic) {
  EXPECT_EQ(WriteZip(Sample(), 1), WriteZip(Sample(), 1));
  EXPECT_LT(WriteZip(Sample(), 1).size(), 5000u);  // the 5,000 x's were deflated
}

TEST(ofd_Package, PutReplacesInPlaceAndFindIgnoresALeadingSlash) {
  Package p = Sample();
  p.Put("/OFD.xml", "<new/>");
  ASSERT_EQ(p.files.size(), 3u);
  EXPECT_EQ(p.files[0].bytes, "<new/>");
  ASSERT_NE(p.Find("/Doc_0/Document.xml"), nullptr);
  EXPECT_EQ(p.Find("Doc_0/Nope.xml"), nullptr);
}

TEST(ofd_Package, ResolvesAbsoluteAndRelativeReferencesAndRefusesClimbingOut) {
  EXPECT_EQ(ResolvePath("Doc_0/Document.xml", "/Doc_0/Res/a.png"), "Doc_0/Res/a.png");
  EXPECT_EQ(ResolvePath("Doc_0/Document.xml", "Pages/Page_0/Content.xml"), "Doc_0/Pages/Page_0/Content.xml");
  EXPECT_EQ(ResolvePath("Doc_0/Signs/Signatures.xml", "Sign_0/Signature.xml"), "Doc_0/Signs/Sign_0/Signature.xml");
  EXPECT_EQ(ResolvePath("Doc_0/Pages/Page_0/Content.xml", "../../Res/f.ttf"), "Doc_0/Res/f.ttf");
  EXPECT_EQ(ResolvePath("OFD.xml", "Doc_0/Document.xml"), "Doc_0/Document.xml");
  EXPECT_EQ(ResolvePath("Doc_0/Document.xml", "../../etc/passwd"), "");
  EXPECT_EQ(ResolvePath("Doc_0/Document.xml", ""), "");
}

TEST(ofd_Package, RefusesWhatIsNotAZip) {
  EXPECT_NE(ErrorOf("<ofd:OFD/>").find("not a ZIP"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("not a ZIP"), std::string::npos);
  const std::string zip = WriteZip(Sample());
  EXPECT_NE(ErrorOf(zip.substr(0, zip.size() / 2)), "");  // cut in half: no central directory
}

TEST(ofd_Package, RefusesADamagedEntry) {
  Package p;
  p.Put("a.xml", std::string(200, 'a'), false);  // stored: the bytes are in the file as they are
  std::string zip = WriteZip(p);
  const size_t at = zip.find(std::string(200, 'a'));
  ASSERT_NE(at, std::string::npos);
  zip[at + 100] = 'b';
  EXPECT_NE(ErrorOf(zip).find("damaged"), std::string::npos);
}

TEST(ofd_Package, CutsAZipBombAtItsCap) {
  Package p;
  p.Put("bomb.xml", std::string(8u << 20, '0'));  // 8 MiB of zeros deflate to a few KB
  const std::string zip = WriteZip(p);
  ASSERT_LT(zip.size(), 100000u);
  ReadLimits small;
  small.max_file_bytes = 1 << 20;
  EXPECT_NE(ErrorOf(zip, small).find("inflates past 1 MiB"), std::string::npos);
  ReadLimits total;
  total.max_total_bytes = 2 << 20;
  EXPECT_NE(ErrorOf(zip, total).find("inflates past 2 MiB"), std::string::npos);
}

TEST(ofd_Package, RefusesTooManyEntries) {
  Package p;
  for (int i = 0; i < 20; ++i) p.Put("f" + std::to_string(i), "x");
  ReadLimits limits;
  limits.max_files = 10;
  EXPECT_NE(ErrorOf(WriteZip(p), limits).find("more than 10 entries"), std::string::npos);
}

TEST(ofd_Package, RefusesNamesThatLeaveThePackage) {
  // Written with a harmless name of the same length, then renamed in both the local and the central header.
  Package p;
  p.Put("aa/../../evil", "x");
  EXPECT_THROW(WriteZip(p), Error);  // never written either
  Package q;
  q.Put("aa/bb/cc/evil", "x");
  std::string zip = WriteZip(q);
  for (size_t at = zip.find("aa/bb/cc/evil"); at != std::string::npos; at = zip.find("aa/bb/cc/evil", at + 1))
    zip.replace(at, 13, "../../../evil");
  EXPECT_NE(ErrorOf(zip).find("leaves the package"), std::string::npos);
}

}  // namespace
}  // namespace zhiping::ofd
