import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the JNI C header of a compiled class's native methods to stdout, as {@code javac -h}
 * would from its source: one {@code extern "C"} declaration per native method, named by the JNI
 * specification's mangling (chapter 2, "Resolving Native Method Names"; the long name with the
 * argument signature for overloaded methods).
 *
 * <p>Used by {@code scripts/gpu-check.sh pack} for {@code ai.djl.pytorch.jni.PyTorchLibrary}:
 * DJL's JNI sources include {@code ai_djl_pytorch_jni_PyTorchLibrary.h}, which DJL's own build
 * makes with {@code javac -h} from the engine's Java sources; those are not in the JNI source
 * folder, the compiled class is on our class path. Run with the single-file launcher:
 * {@code java -cp api.jar:pytorch-engine.jar JniHeader.java CLASS}.
 */
public final class JniHeader {

    private JniHeader() {}

    public static void main(String[] args) throws ClassNotFoundException {
        if (args.length != 1) {
            System.err.println("usage: java -cp JARS JniHeader.java FULLY.QUALIFIED.CLASS");
            System.exit(2);
        }
        // not initialised: PyTorchLibrary's initialiser would load the native library
        Class<?> type = Class.forName(args[0], false, JniHeader.class.getClassLoader());
        System.out.print(header(type));
    }

    /** The header text for {@code type}'s native methods. */
    static String header(Class<?> type) {
        List<Method> natives =
                Arrays.stream(type.getDeclaredMethods())
                        .filter(m -> Modifier.isNative(m.getModifiers()))
                        .sorted(
                                Comparator.comparing(Method::getName)
                                        .thenComparing(JniHeader::argumentDescriptor))
                        .collect(Collectors.toList());
        Map<String, Long> perName =
                natives.stream()
                        .collect(Collectors.groupingBy(Method::getName, Collectors.counting()));
        String prefix = "Java_" + mangle(type.getName()) + "_";
        String guard = "_Included_" + mangle(type.getName());
        StringBuilder out = new StringBuilder();
        out.append("/* Generated from the compiled ").append(type.getName());
        out.append(" by streamctr scripts/gpu/JniHeader.java */\n");
        out.append("#include <jni.h>\n#ifndef ").append(guard).append("\n#define ");
        out.append(guard).append("\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n");
        for (Method m : natives) {
            String name = prefix + mangle(m.getName());
            if (perName.get(m.getName()) > 1) {
                name += "__" + mangle(argumentDescriptor(m));
            }
            String self = Modifier.isStatic(m.getModifiers()) ? "jclass" : "jobject";
            String params =
                    Arrays.stream(m.getParameterTypes())
                            .map(JniHeader::cType)
                            .map(t -> ", " + t)
                            .collect(Collectors.joining());
            out.append("JNIEXPORT ").append(cType(m.getReturnType())).append(" JNICALL ");
            out.append(name).append("(JNIEnv *, ").append(self).append(params).append(");\n");
        }
        out.append("#ifdef __cplusplus\n}\n#endif\n#endif\n");
        return out.toString();
    }

    /** JNI's name mangling of a class name, method name or argument descriptor. */
    static String mangle(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '.' || c == '/') {
                out.append('_');
            } else if (c == '_') {
                out.append("_1");
            } else if (c == ';') {
                out.append("_2");
            } else if (c == '[') {
                out.append("_3");
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else {
                out.append(String.format("_0%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** The method's argument types in descriptor form, without the parentheses. */
    static String argumentDescriptor(Method m) {
        return Arrays.stream(m.getParameterTypes())
                .map(JniHeader::descriptor)
                .collect(Collectors.joining());
    }

    private static String descriptor(Class<?> t) {
        if (t.isArray()) {
            return "[" + descriptor(t.getComponentType());
        }
        if (t.isPrimitive()) {
            return PRIMITIVE_DESCRIPTORS.get(t);
        }
        return "L" + t.getName().replace('.', '/') + ";";
    }

    /** The C type that stands for a Java type in a JNI function's signature. */
    static String cType(Class<?> t) {
        if (t == void.class) {
            return "void";
        }
        if (t.isPrimitive()) {
            return "j" + t.getName();
        }
        if (t.isArray()) {
            Class<?> c = t.getComponentType();
            return c.isPrimitive() ? "j" + c.getName() + "Array" : "jobjectArray";
        }
        if (t == String.class) {
            return "jstring";
        }
        if (t == Class.class) {
            return "jclass";
        }
        return Throwable.class.isAssignableFrom(t) ? "jthrowable" : "jobject";
    }

    private static final Map<Class<?>, String> PRIMITIVE_DESCRIPTORS =
            Map.of(
                    boolean.class, "Z",
                    byte.class, "B",
                    char.class, "C",
                    short.class, "S",
                    int.class, "I",
                    long.class, "J",
                    float.class, "F",
                    double.class, "D");

}
