// issuing/issuer.h — issuing a document: render, sign, archive, in one call. Used by `zhiping issue` and
// POST /v1/documents/{template}.
//
// Contract of this stage: a template name and a request body in; a signed document stored as a new version of its
// OCFL object out (or the unchanged head when nothing would change). In order:
//   1. Render (render::Renderer): every problem of the body is reported at once (kInvalidInput), an unknown
//      template is kNotFound — nothing is signed or stored then.
//   2. Choose the object, from the typed request: `letter` and `review-form` belong to the applicant
//      (urn:zhiping:applicant:{applicant.id}); every other template (notice, report, roster-*) to the round
//      (urn:zhiping:batch:{batch.id}). The ids passed the one id rule (common/ids.h) when the body was parsed.
//   3. Idempotence: if the head already holds `{stem}.issue.json` with the same unsigned_sha256 (SHA-256 of the
//      rendered, unsigned bytes) and `{stem}.json` byte-identical to this body, the head is returned with
//      created == false and nothing is signed (a signature's time would make every re-issue look new). XLSX carry
//      their writing time inside (docProps/core.xml), so for them the record also has content_sha256 (every zip
//      entry uncompressed, those times blanked) and an equal content_sha256 counts as the same output.
//      The question is asked twice: before signing, without a lock (the cheap common case), and again in step 5
//      inside archive::Store::Commit (skip_if) while the object's cross-process lock is held, so that of any number
//      of threads or processes issuing the same body at once exactly one makes a version; the others return that
//      head with created == false (their signatures are thrown away).
//   4. Sign PDFs (sign::Signer): PAdES, visible at the template's seal rectangle when it has one and
//      `visible_signature` is on, invisible otherwise. XLSX are stored unsigned.
//   4b. With IssueOptions::ofd (a PDF template only; otherwise kInvalidInput naming `format`): the same laid-out
//      pages written as OFD (ofd/ofd_writer.h) and sealed with the GB/T 38540 electronic seal (seal/ofd_seal.h) at
//      the template's seal place (a template without one: an invisible stamp on page 1). The OFD is made from the
//      very layout the PDF was, so the PDF's unsigned_sha256 stands for both in step 3; a head without
//      `{stem}.ofd` is not the same when an OFD is asked for.
//   5. Commit one version with `{stem}.{pdf|xlsx}`, [`{stem}.ofd`,] `{stem}.json` (the body as sent) and
//      `{stem}.issue.json` ({template, template_digest, zhiping_version, unsigned_sha256, [content_sha256,] user,
//      signed, [signer, signer_certificate_sha256, development_identity,] [ofd: {path, sealed_by,
//      seal_certificate_sha256, seal_id, development_seal}]}) where stem is the template name, or
//      `report-{committee.id}` for reports. Other files of the object stay as they are, except an earlier
//      `{stem}.ofd` when this issue made none: it no longer says what the new body says, so the new version drops
//      it (archive::FileInput::remove; it stays in the earlier versions).
//
//   With two or more seal places in the layout (layout::LaidOutDocument::seals, a joint document), the record also
//   holds the signing state, `seals: {required: N, signed: 1}`: the document waits for its other organs' signatures.
//
// Countersign (a further organ's signature on a joint document, issued before): reads `{template}.pdf`,
// `{template}.json` and `{template}.issue.json` (and `{template}.ofd` when there) from the head of the round's
// object urn:zhiping:batch:{id}; renders the stored body again for its seal places (seal_places below), refusing
// a layout with one place (kInvalidInput), a document whose every place is signed, or one signed already by this
// identity (kConflict), and one whose rendering no longer gives the issued unsigned_sha256 (kConflict: the places
// could have moved); signs the PDF at seals[k] (k = the signatures already in it) as one more incremental update
// (sign::Signer::Countersign) and adds the organ's GB/T 38540 seal to the OFD (seal::AddSeal) at the same place;
// commits one version with those files and the record, its `seals.signed` counted up and a `countersignatures`
// entry {signer, signer_certificate_sha256, development_identity, user, [ofd: {...}]} appended. The commit is made
// only if the head is still the version read (else kConflict, try again), so two countersignatures never race.
//
// Thread-safe; build one per process. Issues of the same object are serialised within the process (so a second
// identical request is not even signed); across processes step 3's second check under the archive's object lock
// keeps an identical body to one version.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "layout/display_list.h"
#include "model/request.h"
#include "render/renderer.h"
#include "seal/seal_identity.h"
#include "sign/signer.h"

namespace zhiping::database {
class Database;
}

namespace zhiping::issuing {

struct IssuerConfig {
  std::string archive_root = "archive";
  // The deployment's database, shared (the job queue uses the same one). When set, the archive takes a per-object
  // lock in it for every commit (PostgreSQL) and keeps its object index there, which the archive's listings read
  // (archive/database_object_locks.h, docs/archive.md "Several instances"). nullptr: flock and the inventories
  // alone, as on one machine.
  std::shared_ptr<database::Database> database;
  // Identity and time-stamp authority. An empty dev_identity_dir becomes DefaultDevIdentityDir(archive_root).
  sign::SignerConfig signer;
  bool visible_signature = true;
  // The OFD electronic seal (seal/seal_identity.h). Key, certificate and seal file empty (and no ZHIPING_SEAL_*):
  // the development seal in seal.dev_dir ("" becomes DefaultDevSealDir(archive_root)), made on the first OFD
  // issue with the development seal picture (sign/dev_seal_picture.h). A configured seal is loaded and checked
  // by the constructor, so a bad one stops start-up naming its setting.
  seal::SealConfig seal;
  // Told how long each stage of an issue took ("render", "sign", "archive"), and "issued" (0 s) with the template
  // name when a new version was made — for the service's metrics. Called from the issuing thread.
  std::function<void(const std::string& stage, const std::string& template_name, double seconds)> observe;
  // Countersigning organs by name (`countersign.NAME.dir`): NAME -> their identity folder
  // (issuing/countersign_identity.h). The HTTP route accepts only these names; the CLI takes a folder.
  std::map<std::string, std::string> countersign_identities;
  // Where a rendered document's organs seal, in signing order. Unset: the layout's `seals` ({seal} when it lists
  // none, [] when it has no seal place). Tests set it to countersign a one-seal template.
  std::function<std::vector<layout::SealBox>(const layout::LaidOutDocument&)> seal_places;
};

// `<parent of archive_root>/.zhiping/dev-identity`: the development identity lives beside the archive folder.
std::string DefaultDevIdentityDir(const std::string& archive_root);
// `<parent of archive_root>/.zhiping/dev-seal`: the development OFD seal, beside it.
std::string DefaultDevSealDir(const std::string& archive_root);

// What one issue makes besides the template's own document.
struct IssueOptions {
  bool ofd = false;  // also the OFD, sealed, as {stem}.ofd in the same version (`--format ofd`, `?format=ofd`)
};

struct IssuedFile {
  std::string path;    // logical path, "letter.pdf"
  std::string digest;  // sha512, lowercase hex
  uint64_t size = 0;
};

struct IssueResult {
  std::string object_id;  // urn:zhiping:applicant:ZG2022-000123
  std::string key;        // ZG2022-000123 (the applicant or batch id)
  bool applicant = true;  // false: a round object (urn:zhiping:batch:…)
  std::string version;    // the head after the call, "v2"
  bool created = false;   // false: identical to the head; nothing was signed or written
  std::vector<IssuedFile> files;  // this document's files in the head: document, .json, .issue.json
  bool development_identity = false;  // signed (now or, when !created, by this process's signer) with the dev identity
  std::string document_path;          // logical path of the document, "letter.pdf"
  std::string document;               // its bytes as stored (signed PDF or XLSX)
  std::string media_type;
  // With IssueOptions::ofd: the sealed OFD as stored ("letter.ofd"); empty otherwise.
  std::string ofd_path;
  std::string ofd;
  bool development_seal = false;      // the OFD was sealed (now or before) with the development seal
  // A joint document (two or more seal places): how many there are and how many are signed after the call.
  int seals_required = 0, seals_signed = 0;
};

class Issuer {
 public:
  // Opens (creating) the archive and the signer (making the development identity when none is configured).
  // Throws zhiping::Error (kInvalidInput for a bad identity or archive root). `renderer` must outlive the Issuer.
  Issuer(const IssuerConfig& config, const render::Renderer& renderer);
  ~Issuer();
  Issuer(const Issuer&) = delete;
  Issuer& operator=(const Issuer&) = delete;

  // See the contract above. `message` "" becomes "issue {template}". Throws zhiping::Error: kNotFound (unknown
  // template), kInvalidInput (body; bad key), kTemplate/kFont (rendering), kConflict/kInternal (archive).
  IssueResult Issue(const std::string& template_name, const std::string& body_json, const archive::User& user,
                    const std::string& message, const IssueOptions& options = IssueOptions()) const;
  // The same for a request already parsed (a bulk item's letter): `{stem}.json` holds its JSON form
  // (model/request_json.h).
  IssueResult Issue(model::Request request, const archive::User& user, const std::string& message,
                    const IssueOptions& options = IssueOptions()) const;

  // See the contract above. `identity_dir`: the countersigning organ's folder (countersign_identity.h); `message`
  // "" becomes "countersign {template}". Throws zhiping::Error: kNotFound (unknown template; no such document in
  // the batch), kInvalidInput (one seal place; bad identity), kConflict (signed by this identity already; every
  // seal signed; layout changed; raced), kInternal.
  IssueResult Countersign(const std::string& template_name, const std::string& batch_id,
                          const std::string& identity_dir, const archive::User& user,
                          const std::string& message) const;
  // The folder of a countersigning organ named in the configuration; "" when there is none of that name.
  std::string countersign_identity_dir(const std::string& name) const;
  const std::map<std::string, std::string>& countersign_identities() const;

  const archive::Store& store() const;
  const sign::Signer& signer() const;
  const render::Renderer& renderer() const;
  bool is_development() const;
  std::string dev_ca_path() const;  // "" unless development
  // The OFD seal, loaded (the development one made) on first use; throws its configuration errors (kInvalidInput,
  // kNotFound naming the setting, kUnavailable).
  const seal::SealIdentity& seal_identity() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhiping::issuing
