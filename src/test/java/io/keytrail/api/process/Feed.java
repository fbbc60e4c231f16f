package io.keytrail.api.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;

/**
 * Inputs that several clients post to a node at once, in a fixed order, each client taking the next one;
 * {@link #postThen} runs feeds together and stops the node (a kill or a normal stop) once every feed has
 * had its chosen number of answers.
 */
interface Feed {
    /**
     * The feed's size: how many inputs it has, how many clients it adds to the ones that post, and the
     * number of its answers after which the node may be stopped.
     */
    record Shape(int size, int clients, int stopAfter) {
    }

    Shape shape();

    /**
     * Posts input {@code index}: true when the answer counts toward {@link Shape#stopAfter()}, false when it
     * does not (a refusal or a reply cut off by the stop, which the feed records as it sees fit); an
     * {@link IOException} when the node is gone.
     */
    boolean post(ServiceProcess node, int index) throws IOException;

    /**
     * Posts every input of every feed from all their clients, the feeds' inputs interleaved at random (each
     * feed in its own order), and applies {@code stop} once, when each feed has had {@link Shape#stopAfter()}
     * answers or has no input left to post; then once more when every client ended (for a run in which
     * every input was answered before the chosen moment). Interleaved, the feeds progress together, so
     * the stop finds inputs of each of them in flight: run one after the other, the faster feed would
     * have ended before the stop.
     */
    static void postThen(ServiceProcess node, Consumer<ServiceProcess> stop, Random random, Feed... feeds)
            throws InterruptedException {
        List<int[]> order = new ArrayList<>();
        int[] left = new int[feeds.length];
        int[] last = new int[feeds.length];
        int threads = 0;
        Shape[] shapes = Arrays.stream(feeds).map(Feed::shape).toArray(Shape[]::new);
        for (int f = 0; f < feeds.length; f++) {
            left[f] = shapes[f].size();
            threads += shapes[f].clients();
        }
        for (int total = Arrays.stream(left).sum(); total > 0; total--) {
            int pick = random.nextInt(total);
            int f = 0;
            while (pick >= left[f]) {
                pick -= left[f++];
            }
            order.add(new int[] {f, shapes[f].size() - left[f]--});
            last[f] = order.size() - 1;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicIntegerArray answered = new AtomicIntegerArray(feeds.length);
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stopWhenDue = () -> {
            for (int f = 0; f < feeds.length; f++) {
                if (answered.get(f) < shapes[f].stopAfter() && next.get() <= last[f]) {
                    return;
                }
            }
            if (stopped.compareAndSet(false, true)) {
                stop.accept(node);
            }
        };
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        for (int c = 0; c < threads; c++) {
            clients.execute(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < order.size(); i = next.getAndIncrement()) {
                        int f = order.get(i)[0];
                        if (feeds[f].post(node, order.get(i)[1])) {
                            answered.incrementAndGet(f);
                            stopWhenDue.run();
                        }
                    }
                } catch (IOException e) {
                    // the node is gone: this input was never answered
                }
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).as("clients ended").isTrue();
        stop.accept(node);
    }
}
