#include "sign/tsa_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <openssl/rand.h>

#include <memory>
#include <sstream>

#include "common/error.h"
#include "sign/openssl_util.h"

namespace zhiping::sign {
namespace {

const size_t kMaxResponseBytes = 1 << 20;

std::string EncodeRequest(const std::string& digest, ASN1_INTEGER** nonce_out) {
  TsReqPtr req(TS_REQ_new());
  TS_REQ_set_version(req.get(), 1);
  TS_MSG_IMPRINT* imprint = TS_MSG_IMPRINT_new();
  X509_ALGOR* algo = X509_ALGOR_new();
  X509_ALGOR_set0(algo, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  TS_MSG_IMPRINT_set_algo(imprint, algo);
  TS_MSG_IMPRINT_set_msg(imprint, reinterpret_cast<unsigned char*>(const_cast<char*>(digest.data())),
                         static_cast<int>(digest.size()));
  TS_REQ_set_msg_imprint(req.get(), imprint);
  TS_MSG_IMPRINT_free(imprint);
  X509_ALGOR_free(algo);

  unsigned char rnd[8];
  RAND_bytes(rnd, sizeof rnd);
  rnd[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(rnd, sizeof rnd, nullptr);
  ASN1_INTEGER* nonce = BN_to_ASN1_INTEGER(bn, nullptr);
  BN_free(bn);
  TS_REQ_set_nonce(req.get(), nonce);
  *nonce_out = nonce;
  TS_REQ_set_cert_req(req.get(), 1);  // the token carries the TSA certificate, so verifiers need nothing else

  return Der<TS_REQ>(req.get(), i2d_TS_REQ, "TimeStampReq");
}

// A TLS client context that verifies the TSA's certificate chain and host name. Why not Poco's SSLManager: it is
// a process-wide singleton configured from an application's properties; a context per endpoint keeps the TSA's
// trust separate from anything else the process might do over TLS.
Poco::Net::Context::Ptr ClientContext(const std::string& ca_file) {
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", ca_file,
                                Poco::Net::Context::VERIFY_RELAXED, 9, /*loadDefaultCAs=*/ca_file.empty());
}

std::string Post(const TsaEndpoint& tsa, const std::string& body) {
  const std::string& url = tsa.url;
  Poco::URI uri(url);
  std::unique_ptr<Poco::Net::HTTPClientSession> owned;
  if (uri.getScheme() == "https") {
    owned = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), ClientContext(tsa.ca_file));
  } else if (uri.getScheme() == "http") {
    owned = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  } else {
    throw Error(ErrorKind::kInvalidInput, "time-stamp authority URL must be http:// or https:// (got " + url + ")");
  }
  Poco::Net::HTTPClientSession& session = *owned;
  session.setTimeout(Poco::Timespan(15, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery().empty()
                                                                         ? "/"
                                                                         : uri.getPathAndQuery(),
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType("application/timestamp-query");
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string reply;
  Poco::StreamCopier::copyToString(in, reply, 8192);
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
    throw Error(ErrorKind::kUnavailable, "time-stamp authority " + url + " answered HTTP " +
                                             std::to_string(static_cast<int>(response.getStatus())));
  if (reply.size() > kMaxResponseBytes) throw Error(ErrorKind::kUnavailable, "time-stamp reply too large");
  return reply;
}

}  // namespace

std::string RequestTimestampToken(const TsaEndpoint& tsa, const std::string& sha256_digest) {
  const std::string& tsa_url = tsa.url;
  ASN1_INTEGER* nonce_raw = nullptr;
  std::string request = EncodeRequest(sha256_digest, &nonce_raw);
  OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free> nonce(nonce_raw);

  std::string reply;
  try {
    reply = Post(tsa, request);
  } catch (const Poco::Net::SSLException& e) {
    throw Error(ErrorKind::kUnavailable, "time-stamp authority " + tsa_url + ": TLS failed: " + e.displayText());
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kUnavailable, "time-stamp authority " + tsa_url + ": " + e.displayText());
  }

  const unsigned char* p = reinterpret_cast<const unsigned char*>(reply.data());
  TsRespPtr resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(reply.size())));
  if (!resp) ThrowOpenSsl(ErrorKind::kUnavailable, "time-stamp authority sent no TimeStampResp");
  long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp.get())));
  if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS)
    throw Error(ErrorKind::kUnavailable, "time-stamp authority refused the request (PKIStatus " +
                                             std::to_string(status) + ")");
  TS_TST_INFO* info = TS_RESP_get_tst_info(resp.get());
  PKCS7* token = TS_RESP_get_token(resp.get());
  if (!info || !token) throw Error(ErrorKind::kUnavailable, "time-stamp response without a token");

  // A token for some other digest or request would make the signature's B-T claim a lie; check before using it.
  ASN1_OCTET_STRING* imprint = TS_MSG_IMPRINT_get_msg(TS_TST_INFO_get_msg_imprint(info));
  if (std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(imprint)), ASN1_STRING_length(imprint)) !=
      sha256_digest)
    throw Error(ErrorKind::kUnavailable, "time-stamp token is for a different digest");
  const ASN1_INTEGER* token_nonce = TS_TST_INFO_get_nonce(info);
  if (!token_nonce || ASN1_INTEGER_cmp(token_nonce, nonce.get()) != 0)
    throw Error(ErrorKind::kUnavailable, "time-stamp token nonce does not match the request");

  return Der<PKCS7>(token, i2d_PKCS7, "time-stamp token");
}

}  // namespace zhiping::sign
