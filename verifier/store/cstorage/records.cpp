#include "verifier/store/cstorage/records.h"

#include <functional>
#include <set>

#include "verifier/core/json.h"
#include "verifier/image/digest.h"
#include "verifier/store/cstorage/limits.h"

namespace verified::cstorage {
namespace {

using nlohmann::json;

// The string at obj[key]; "" when absent or null. Another type, or more than kMaxFieldBytes,
// is an error naming the record.
Result<std::string> Field(const json& obj, std::string_view key, const std::string& what) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string())
    return MakeError(ErrorKind::kParse, "{}: \"{}\" is not a string", what, key);
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > kMaxFieldBytes) {
    return MakeError(ErrorKind::kTooLarge, "{}: \"{}\" is longer than {} bytes", what, key,
                     kMaxFieldBytes);
  }
  return s;
}

Result<std::vector<std::string>> StringList(const json& obj, std::string_view key,
                                            const std::string& what) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return out;
  if (!it->is_array()) return MakeError(ErrorKind::kParse, "{}: \"{}\" is not a list", what, key);
  if (it->size() > kMaxListEntries) {
    return MakeError(ErrorKind::kTooLarge, "{}: \"{}\" has more than {} entries", what, key,
                     kMaxListEntries);
  }
  for (const auto& v : *it) {
    if (!v.is_string() || v.get_ref<const std::string&>().size() > kMaxFieldBytes) {
      return MakeError(ErrorKind::kParse, "{}: \"{}\" holds a value that is not a short string",
                       what, key);
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

bool NonEmptyArray(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_array() && !it->empty();
}

// Parses the top-level array and hands each object to `entry`, refusing duplicate ids.
Status ForEachRecord(std::string_view text, std::string_view what,
                     const std::function<Status(const json&, const std::string&)>& entry) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Ok();  // empty file
  VERIFIED_ASSIGN_OR_RETURN(json doc, ParseJson(text, what));
  if (doc.is_null()) return Ok();
  if (!doc.is_array()) return MakeError(ErrorKind::kParse, "{} is not a JSON list", what);
  if (doc.size() > kMaxRecords) {
    return MakeError(ErrorKind::kTooLarge, "{} has more than {} records", what, kMaxRecords);
  }
  std::set<std::string> seen;
  size_t index = 0;
  for (const auto& rec : doc) {
    std::string where = fmt::format("{} record {}", what, index++);
    if (!rec.is_object()) return MakeError(ErrorKind::kParse, "{} is not an object", where);
    VERIFIED_ASSIGN_OR_RETURN(std::string id, Field(rec, "id", where));
    if (id.empty()) return MakeError(ErrorKind::kParse, "{} has no id", where);
    if (!seen.insert(id).second) {
      return MakeError(ErrorKind::kParse, "{} lists id {} twice", what, id);
    }
    VERIFIED_RETURN_IF_ERROR(entry(rec, fmt::format("{} {}", what, id)));
  }
  return Ok();
}

// Podman and CRI-O keep a JSON object in the container's "metadata" string; only the image
// name is of interest, and an unreadable one simply means "unknown".
std::string MetadataImageName(const std::string& metadata) {
  if (metadata.empty() || metadata.size() > kMaxMetadataBytes) return "";
  auto j = ParseJson(metadata, "container metadata", 8);
  if (!j.ok() || !j->is_object()) return "";
  auto name = OptionalString(*j, "image-name", "container metadata");
  return name.ok() && name->size() <= kMaxFieldBytes ? *name : "";
}

}  // namespace

bool IsStorageId(std::string_view id) { return IsHex64(id); }

Result<std::vector<LayerRecord>> ParseLayers(std::string_view text, std::string_view what) {
  std::vector<LayerRecord> out;
  VERIFIED_RETURN_IF_ERROR(
      ForEachRecord(text, what, [&](const json& j, const std::string& w) -> Status {
        LayerRecord r;
        VERIFIED_ASSIGN_OR_RETURN(r.id, Field(j, "id", w));
        VERIFIED_ASSIGN_OR_RETURN(r.parent, Field(j, "parent", w));
        VERIFIED_ASSIGN_OR_RETURN(r.diff_digest, Field(j, "diff-digest", w));
        if (auto flags = j.find("flags"); flags != j.end() && !flags->is_null()) {
          if (!flags->is_object())
            return MakeError(ErrorKind::kParse, "{}: flags is not an object", w);
          auto inc = flags->find("incomplete");
          r.incomplete =
              inc != flags->end() && !(inc->is_boolean() && !inc->get<bool>()) && !inc->is_null();
        }
        r.id_mapped = NonEmptyArray(j, "uidmap") || NonEmptyArray(j, "gidmap");
        out.push_back(std::move(r));
        return Ok();
      }));
  return out;
}

Result<std::vector<ImageRecord>> ParseImages(std::string_view text, std::string_view what) {
  std::vector<ImageRecord> out;
  VERIFIED_RETURN_IF_ERROR(
      ForEachRecord(text, what, [&](const json& j, const std::string& w) -> Status {
        ImageRecord r;
        VERIFIED_ASSIGN_OR_RETURN(r.id, Field(j, "id", w));
        VERIFIED_ASSIGN_OR_RETURN(r.digest, Field(j, "digest", w));
        VERIFIED_ASSIGN_OR_RETURN(r.names, StringList(j, "names", w));
        VERIFIED_ASSIGN_OR_RETURN(r.top_layer, Field(j, "layer", w));
        VERIFIED_ASSIGN_OR_RETURN(r.mapped_top_layers, StringList(j, "mapped-layers", w));
        VERIFIED_ASSIGN_OR_RETURN(r.big_data_names, StringList(j, "big-data-names", w));
        if (auto m = j.find("metadata"); m != j.end() && !m->is_null()) {
          if (!m->is_string() || m->get_ref<const std::string&>().size() > kMaxMetadataBytes) {
            return MakeError(ErrorKind::kParse, "{}: metadata is not a string of at most {} bytes",
                             w, kMaxMetadataBytes);
          }
          r.metadata = m->get<std::string>();
        }
        if (auto d = j.find("big-data-digests"); d != j.end() && !d->is_null()) {
          if (!d->is_object() || d->size() > kMaxListEntries) {
            return MakeError(ErrorKind::kParse, "{}: big-data-digests is not a small object", w);
          }
          for (const auto& [key, value] : d->items()) {
            if (!value.is_string() || key.size() > kMaxFieldBytes) {
              return MakeError(ErrorKind::kParse, "{}: big-data-digests has a bad entry", w);
            }
            r.big_data_digests[key] = value.get<std::string>();
          }
        }
        out.push_back(std::move(r));
        return Ok();
      }));
  return out;
}

Result<std::vector<ContainerRecord>> ParseContainers(std::string_view text, std::string_view what) {
  std::vector<ContainerRecord> out;
  VERIFIED_RETURN_IF_ERROR(
      ForEachRecord(text, what, [&](const json& j, const std::string& w) -> Status {
        ContainerRecord r;
        VERIFIED_ASSIGN_OR_RETURN(r.id, Field(j, "id", w));
        VERIFIED_ASSIGN_OR_RETURN(r.names, StringList(j, "names", w));
        VERIFIED_ASSIGN_OR_RETURN(r.image_id, Field(j, "image", w));
        VERIFIED_ASSIGN_OR_RETURN(r.layer_id, Field(j, "layer", w));
        auto meta = j.find("metadata");
        if (meta != j.end() && meta->is_string()) {
          r.metadata_image_name = MetadataImageName(meta->get<std::string>());
        } else if (meta != j.end() && !meta->is_null()) {
          return MakeError(ErrorKind::kParse, "{}: metadata is not a string", w);
        }
        out.push_back(std::move(r));
        return Ok();
      }));
  return out;
}

}  // namespace verified::cstorage
