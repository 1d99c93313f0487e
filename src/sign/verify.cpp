// VerifyPdf: independent of how the file was signed — it reads every signature dictionary PoDoFo finds, takes the
// signed bytes from the file exactly as /ByteRange names them and lets OpenSSL judge the CMS.
#include <openssl/err.h>
#include <openssl/ess.h>
#include <podofo/podofo.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "common/error.h"
#include "sign/openssl_util.h"
#include "sign/podofo_guard.h"
#include "sign/signer.h"

using namespace PoDoFo;

namespace zhiping::sign {
namespace {

struct SignatureDict {
  int64_t range[4] = {0, 0, 0, 0};
  bool range_ok = false;
  std::string sub_filter, m;
  std::string damaged;  // set when found by ScanSignatureDicts because PoDoFo could not read the file
};

// Signature dictionaries found in the raw bytes, for a file PoDoFo cannot parse: each "/ByteRange [a b c d]" with
// a "/Contents <…>" in the same indirect object ("N 0 obj … endobj"), and that object's /SubFilter and /M.
std::vector<SignatureDict> ScanSignatureDicts(const std::string& pdf) {
  std::vector<SignatureDict> found;
  auto skip_space = [&](size_t at) {
    while (at < pdf.size() && std::isspace(static_cast<unsigned char>(pdf[at]))) ++at;
    return at;
  };
  for (size_t at = pdf.find("/ByteRange"); at != std::string::npos; at = pdf.find("/ByteRange", at + 1)) {
    size_t begin = pdf.rfind(" obj", at);
    size_t end = pdf.find("endobj", at);
    if (begin == std::string::npos || end == std::string::npos) continue;
    const std::string object = pdf.substr(begin, end - begin);
    if (object.find("/Contents") == std::string::npos) continue;
    SignatureDict sig;
    size_t p = skip_space(at + std::strlen("/ByteRange"));
    if (p < pdf.size() && pdf[p] == '[') {
      sig.range_ok = true;
      ++p;
      for (int i = 0; i < 4; ++i) {
        p = skip_space(p);
        size_t digits = p;
        while (p < pdf.size() && std::isdigit(static_cast<unsigned char>(pdf[p])) && p - digits < 15) ++p;
        if (p == digits) {
          sig.range_ok = false;
          break;
        }
        sig.range[i] = std::stoll(pdf.substr(digits, p - digits));
      }
      if (sig.range_ok && pdf[skip_space(p)] != ']') sig.range_ok = false;
    }
    auto name_after = [&](const std::string& key) {
      size_t k = object.find(key);
      if (k == std::string::npos) return std::string();
      size_t v = k + key.size();
      while (v < object.size() && std::isspace(static_cast<unsigned char>(object[v]))) ++v;
      if (v >= object.size() || object[v] != '/') return std::string();
      size_t e = ++v;
      while (e < object.size() && !std::isspace(static_cast<unsigned char>(object[e])) &&
             std::strchr("/<>[]()", object[e]) == nullptr)
        ++e;
      return object.substr(v, e - v);
    };
    sig.sub_filter = name_after("/SubFilter");
    size_t m = object.find("/M");
    if (m != std::string::npos) {
      size_t open = object.find('(', m), close = object.find(')', m);
      if (open != std::string::npos && close != std::string::npos && open < close && open - m < 4)
        sig.m = object.substr(open + 1, close - open - 1);
    }
    found.push_back(sig);
  }
  return found;
}

std::vector<SignatureDict> FindSignatureDicts(const std::string& pdf) {
  std::vector<SignatureDict> found;
  try {
    auto lock = LockPoDoFo();
    PdfMemDocument doc;
    doc.LoadFromBuffer(pdf.data(), static_cast<long>(pdf.size()));
    for (PdfObject* obj : doc.GetObjects()) {
      if (!obj || !obj->IsDictionary()) continue;
      const PdfDictionary& dict = obj->GetDictionary();
      const PdfObject* range = dict.GetKey(PdfName("ByteRange"));
      if (!range || !dict.HasKey(PdfName("Contents"))) continue;
      SignatureDict sig;
      if (range->IsArray() && range->GetArray().size() == 4) {
        sig.range_ok = true;
        for (size_t i = 0; i < 4; ++i) {
          const PdfObject& n = range->GetArray()[i];
          if (!n.IsNumber() || n.GetNumber() < 0) sig.range_ok = false;
          else sig.range[i] = n.GetNumber();
        }
      }
      if (const PdfObject* sf = dict.GetKey(PdfName("SubFilter")); sf && sf->IsName())
        sig.sub_filter = sf->GetName().GetName();
      if (const PdfObject* m = dict.GetKey(PdfName("M")); m && m->IsString()) sig.m = m->GetString().GetString();
      found.push_back(sig);
    }
  } catch (const PdfError& e) {
    // Changed bytes inside a signed range can break the very structure PoDoFo needs (an object header, an offset
    // the cross-reference table names). That is a signature whose digest no longer matches, not an unreadable
    // file: when the bytes still hold signature dictionaries, judge those.
    found = ScanSignatureDicts(pdf);
    if (found.empty())
      throw Error(ErrorKind::kInvalidInput, std::string("cannot read the PDF: ") + PdfError::ErrorName(e.GetError()));
    for (SignatureDict& sig : found) sig.damaged = std::string("the file's structure is damaged (") +
                                                   PdfError::ErrorName(e.GetError()) + ")";
  }
  // Oldest revision first: a signature's revision ends where its second range ends.
  std::sort(found.begin(), found.end(), [](const SignatureDict& a, const SignatureDict& b) {
    return a.range[2] + a.range[3] < b.range[2] + b.range[3];
  });
  return found;
}

X509StorePtr TrustStore(const std::vector<std::string>& ca_files) {
  X509StorePtr store(X509_STORE_new());
  if (ca_files.empty()) {
    X509_STORE_set_default_paths(store.get());  // no anchors given: the system's CA certificates
  }
  for (const std::string& path : ca_files)
    if (X509_STORE_load_file(store.get(), path.c_str()) != 1)
      ThrowOpenSsl(ErrorKind::kNotFound, "cannot load trusted CA file " + path);
  return store;
}

// true when the unsigned attribute id-aa-timeStampToken holds a token over this SignerInfo's signature value.
bool HasMatchingTimestamp(CMS_SignerInfo* si, std::string& problem) {
  int index = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
  if (index < 0) return false;
  ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, index), 0);
  if (!value || value->type != V_ASN1_SEQUENCE) {
    problem = "time-stamp attribute is malformed";
    return false;
  }
  const unsigned char* p = value->value.sequence->data;
  Pkcs7Ptr token(d2i_PKCS7(nullptr, &p, value->value.sequence->length));
  TstInfoPtr info(token ? PKCS7_to_TS_TST_INFO(token.get()) : nullptr);
  if (!info) {
    ERR_clear_error();
    problem = "time-stamp token cannot be read";
    return false;
  }
  ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
  std::string expected = Sha256(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(sig)),
                                            ASN1_STRING_length(sig)));
  ASN1_OCTET_STRING* imprint = TS_MSG_IMPRINT_get_msg(TS_TST_INFO_get_msg_imprint(info.get()));
  if (std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(imprint)), ASN1_STRING_length(imprint)) !=
      expected) {
    problem = "time-stamp token is not over this signature";
    return false;
  }
  // The token's own signature by the certificate it carries. Whether that TSA is trusted is not judged here.
  if (PKCS7_verify(token.get(), nullptr, nullptr, nullptr, nullptr, PKCS7_NOVERIFY) != 1) {
    problem = "time-stamp token signature does not verify (" + OpenSslErrors() + ")";
    return false;
  }
  return true;
}

// The CAdES binding of the signer certificate (RFC 5035), which PAdES requires.
bool SigningCertificateMatches(CMS_SignerInfo* si, X509* signer) {
  ASN1_STRING* value = static_cast<ASN1_STRING*>(CMS_signed_get0_data_by_OBJ(
      si, OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), -3, V_ASN1_SEQUENCE));
  if (!value) return false;
  const unsigned char* p = ASN1_STRING_get0_data(value);
  OpenSslPtr<ESS_SIGNING_CERT_V2, ESS_SIGNING_CERT_V2_free> ess(
      d2i_ESS_SIGNING_CERT_V2(nullptr, &p, ASN1_STRING_length(value)));
  X509StackPtr chain(sk_X509_new_null());
  X509_up_ref(signer);
  sk_X509_push(chain.get(), signer);
  bool ok = ess && OSSL_ESS_check_signing_certs(nullptr, ess.get(), chain.get(), 1) > 0;
  ERR_clear_error();
  return ok;
}

void CheckCms(const std::string& der, const std::string& signed_bytes, X509_STORE* store, SignatureReport& r) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  if (!cms) {
    ERR_clear_error();
    r.problem = "/Contents is not a CMS SignedData";
    return;
  }
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
  if (sk_CMS_SignerInfo_num(infos) != 1) {
    r.problem = "expected exactly one SignerInfo, found " + std::to_string(sk_CMS_SignerInfo_num(infos));
    return;
  }
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
  X509StackPtr certs(CMS_get1_certs(cms.get()));
  CMS_set1_signers_certs(cms.get(), nullptr, 0);
  X509* signer = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, &signer, nullptr, nullptr);
  ERR_clear_error();
  if (!signer) {
    r.problem = "signer certificate is not in the signature";
    return;
  }
  r.signer = CertSubject(signer);
  r.signer_certificate_sha256 = CertFingerprint(signer);

  // Digest and signature only; trust is judged separately below. (CMS_CADES would make CMS_verify demand a
  // trusted chain first, so the signing-certificate-v2 binding is checked on its own.)
  BioPtr content(BIO_new_mem_buf(signed_bytes.data(), static_cast<int>(signed_bytes.size())));
  r.digest_valid = CMS_verify(cms.get(), nullptr, nullptr, content.get(), nullptr,
                              CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
  if (!r.digest_valid) r.problem = "signature does not match the signed bytes (" + OpenSslErrors() + ")";
  if (r.problem.empty() && !SigningCertificateMatches(si, signer))
    r.problem = "signing-certificate-v2 attribute missing or not naming the signer certificate";

  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store, signer, certs.get());
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_ANY);
  r.trusted = X509_verify_cert(ctx.get()) == 1;
  if (!r.trusted && r.problem.empty())
    r.problem = std::string("certificate not trusted: ") +
                X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  ERR_clear_error();

  std::string ts_problem;
  r.has_timestamp = HasMatchingTimestamp(si, ts_problem);
  if (!ts_problem.empty() && r.problem.empty()) r.problem = ts_problem;
}

}  // namespace

std::vector<SignatureReport> VerifyPdf(const std::string& pdf, const std::vector<std::string>& trusted_ca_files) {
  X509StorePtr store = TrustStore(trusted_ca_files);
  std::vector<SignatureReport> reports;
  for (const SignatureDict& sig : FindSignatureDicts(pdf)) {
    SignatureReport r;
    r.sub_filter = sig.sub_filter;
    r.signing_time = sig.m;
    const uint64_t size = pdf.size();
    const uint64_t s1 = sig.range[0], l1 = sig.range[1], s2 = sig.range[2], l2 = sig.range[3];
    if (!sig.range_ok || s1 != 0 || l1 + 2 > s2 || s2 > size || l2 > size - s2) {
      r.problem = "/ByteRange is malformed or outside the file";
      reports.push_back(r);
      continue;
    }
    // The one gap must be exactly the /Contents hex string, or unsigned bytes could hide in it.
    std::string gap = pdf.substr(l1, s2 - l1);
    if (gap.front() != '<' || gap.back() != '>' ||
        gap.find_first_not_of("0123456789abcdefABCDEF", 1) != gap.size() - 1) {
      r.problem = "/ByteRange leaves out more than the /Contents string";
      reports.push_back(r);
      continue;
    }
    r.covers_whole_file = s2 + l2 == size;
    CheckCms(HexDecode(gap.substr(1, gap.size() - 2)), pdf.substr(0, l1) + pdf.substr(s2, l2), store.get(), r);
    if (!sig.damaged.empty()) r.problem = r.problem.empty() ? sig.damaged : r.problem + "; " + sig.damaged;
    if (r.sub_filter != "ETSI.CAdES.detached" && r.problem.empty())
      r.problem = "SubFilter is " + (r.sub_filter.empty() ? std::string("missing") : r.sub_filter) +
                  ", not ETSI.CAdES.detached";
    reports.push_back(r);
  }
  return reports;
}

}  // namespace zhiping::sign
