/*
 * The JNI conversion helpers that DJL's PyTorch JNI sources call as djl::utils::jni::*, for a
 * build from a JNI source folder without DJL's api/src/main/native/djl/utils.h (such as
 * ../shared/third-party/djl-0.35.1, which holds engines/pytorch/pytorch-native only).
 * scripts/gpu-check.sh uses DJL's own header instead whenever the source folder has it.
 *
 * Written for streamctr from the call sites in DJL 0.35.1's pytorch-native sources: each helper
 * copies between a Java array and a std::vector, or hands C++ objects to Java as heap pointers
 * (jlong handles) that DJL's Java side frees through the JNI's delete functions.
 */
#ifndef STREAMCTR_DJL_UTILS_H
#define STREAMCTR_DJL_UTILS_H

#include <jni.h>

#include <cstdint>
#include <string>
#include <vector>

namespace djl {
namespace utils {
namespace jni {

// release mode for Release<Type>ArrayElements: free the copy, write nothing back
static constexpr const jint RELEASE_MODE = JNI_ABORT;
static constexpr const jlong NULL_PTR = 0;

// a Java String as UTF-8 (String.getBytes("UTF-8"): not JNI's modified UTF-8)
inline std::string GetStringFromJString(JNIEnv* env, jstring jstr) {
  if (jstr == nullptr) {
    return std::string();
  }
  jclass string_class = env->GetObjectClass(jstr);
  jmethodID get_bytes = env->GetMethodID(string_class, "getBytes", "(Ljava/lang/String;)[B");
  jstring charset = env->NewStringUTF("UTF-8");
  auto bytes = static_cast<jbyteArray>(env->CallObjectMethod(jstr, get_bytes, charset));
  env->DeleteLocalRef(charset);
  env->DeleteLocalRef(string_class);
  jsize length = env->GetArrayLength(bytes);
  std::string out(static_cast<size_t>(length), '\0');
  env->GetByteArrayRegion(bytes, 0, length, reinterpret_cast<jbyte*>(&out[0]));
  env->DeleteLocalRef(bytes);
  return out;
}

// copies of the objects behind an array of handles (each a pointer to a T)
template <typename T>
inline std::vector<T> GetObjectVecFromJHandles(JNIEnv* env, jlongArray jhandles) {
  jsize length = env->GetArrayLength(jhandles);
  std::vector<jlong> handles(static_cast<size_t>(length));
  env->GetLongArrayRegion(jhandles, 0, length, handles.data());
  std::vector<T> out;
  out.reserve(handles.size());
  for (jlong handle : handles) {
    out.emplace_back(*reinterpret_cast<T*>(static_cast<uintptr_t>(handle)));
  }
  return out;
}

// one new heap copy (a T2*) of each element, as an array of handles that Java owns
template <typename T1, typename T2>
inline jlongArray GetPtrArrayFromContainer(JNIEnv* env, T1 list) {
  size_t length = list.size();
  std::vector<jlong> handles(length);
  for (size_t i = 0; i < length; ++i) {
    handles[i] = static_cast<jlong>(reinterpret_cast<uintptr_t>(new T2(list[i])));
  }
  jlongArray out = env->NewLongArray(static_cast<jsize>(length));
  env->SetLongArrayRegion(out, 0, static_cast<jsize>(length), handles.data());
  return out;
}

inline std::vector<int64_t> GetVecFromJLongArray(JNIEnv* env, jlongArray jarray) {
  jsize length = env->GetArrayLength(jarray);
  std::vector<jlong> values(static_cast<size_t>(length));
  env->GetLongArrayRegion(jarray, 0, length, values.data());
  return std::vector<int64_t>(values.begin(), values.end());
}

// any vector of integers or pointers (size_t, uintptr_t, int64_t) as a long[]
template <typename T>
inline jlongArray GetLongArrayFromVec(JNIEnv* env, const std::vector<T>& vec) {
  std::vector<jlong> values(vec.begin(), vec.end());
  jlongArray out = env->NewLongArray(static_cast<jsize>(values.size()));
  env->SetLongArrayRegion(out, 0, static_cast<jsize>(values.size()), values.data());
  return out;
}

// a String[] of UTF-8 strings (new String(bytes, "UTF-8"))
inline jobjectArray GetStringArrayFromVec(JNIEnv* env, const std::vector<std::string>& vec) {
  jclass string_class = env->FindClass("java/lang/String");
  jmethodID ctor = env->GetMethodID(string_class, "<init>", "([BLjava/lang/String;)V");
  jstring charset = env->NewStringUTF("UTF-8");
  jobjectArray out = env->NewObjectArray(static_cast<jsize>(vec.size()), string_class, nullptr);
  for (size_t i = 0; i < vec.size(); ++i) {
    auto length = static_cast<jsize>(vec[i].size());
    jbyteArray bytes = env->NewByteArray(length);
    env->SetByteArrayRegion(bytes, 0, length, reinterpret_cast<const jbyte*>(vec[i].data()));
    jobject str = env->NewObject(string_class, ctor, bytes, charset);
    env->SetObjectArrayElement(out, static_cast<jsize>(i), str);
    env->DeleteLocalRef(bytes);
    env->DeleteLocalRef(str);
  }
  env->DeleteLocalRef(charset);
  env->DeleteLocalRef(string_class);
  return out;
}

}  // namespace jni
}  // namespace utils
}  // namespace djl

#endif  // STREAMCTR_DJL_UTILS_H
