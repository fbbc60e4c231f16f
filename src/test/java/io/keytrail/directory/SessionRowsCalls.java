package io.keytrail.directory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Records the calls made to the engine's {@link SessionRows}, so that a test can prove which queries a
 * flow used (e.g. an indexed query, never a scan of all sessions) in the shared engine: a Mockito spy
 * bean would cost an engine of its own. Keeps the last {@value #KEPT} calls.
 */
public class SessionRowsCalls implements BeanPostProcessor {
    private static final int KEPT = 10_000;

    /** One call: the repository method's name and its arguments. */
    public record Call(String method, List<Object> args) {
    }

    private final Deque<Call> calls = new ArrayDeque<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof SessionRows rows)) {
            return bean;
        }
        InvocationHandler recorder = (proxy, method, args) -> {
            if (method.getDeclaringClass() != Object.class) {
                record(new Call(method.getName(), args == null ? List.of() : Arrays.asList(args)));
            }
            try {
                return method.invoke(rows, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return Proxy.newProxyInstance(SessionRows.class.getClassLoader(), new Class<?>[] {SessionRows.class}, recorder);
    }

    private synchronized void record(Call call) {
        if (calls.size() == KEPT) {
            calls.removeFirst();
        }
        calls.addLast(call);
    }

    /** Forgets the calls so far. */
    public synchronized void clear() {
        calls.clear();
    }

    /** The calls so far to methods named {@code method}, oldest first. */
    public synchronized List<Call> of(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }
}
