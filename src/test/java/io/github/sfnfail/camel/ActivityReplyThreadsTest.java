package io.github.sfnfail.camel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import io.github.sfnfail.camel.activity.SfnActivityComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where the activity consumer goes on after a reply to one of its calls: on threads of the endpoint's own, never on the
 * HTTP client's I/O thread that read the reply. Its next poll is sent from there, and a call the SDK's client is asked
 * for on the I/O thread that is still reading the reply of another sometimes loses the task its poll brought: the SDK
 * drops it without a word and polls again (seen in the soak, about one task in 10,000, and with a bare client whose
 * future completion executor is {@code Runnable::run}), leaving the task to time out.
 */
class ActivityReplyThreadsTest extends ActivityStandInTestSupport {

    private static final int TASKS = 30;

    /** The thread each call of the client was asked for on, by call. */
    private final Map<String, List<String>> callThreads = new ConcurrentHashMap<>();
    private final Set<Executor> repliesGiven = ConcurrentHashMap.newKeySet();
    private final DefaultSfnClientFactory factory = new DefaultSfnClientFactory();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("aws-sfn-activity", SfnActivityComponent.class).setClientFactory(new SfnClientFactory() {
            @Override
            public SfnAsyncClient createAsyncClient(SfnTaskConfiguration configuration) {
                return createAsyncClient(configuration, null);
            }

            @Override
            public SfnAsyncClient createAsyncClient(SfnTaskConfiguration configuration, Executor replies) {
                if (replies != null) {
                    repliesGiven.add(replies);
                }
                return recording(factory.createAsyncClient(configuration, replies));
            }
        });
        return context;
    }

    /** Camel first, its open polls answered at once, then the factory's event loops (this runs before the base's). */
    @AfterEach
    void closeFactory() {
        sfn.answerPollsAtOnce();
        context.stop();
        factory.close();
    }

    /** The client, noting the thread each of its calls is asked for on. */
    private SfnAsyncClient recording(SfnAsyncClient client) {
        return (SfnAsyncClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SfnAsyncClient.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("getActivityTask") || method.getName().startsWith("sendTask")) {
                        callThreads.computeIfAbsent(method.getName(), name -> new CopyOnWriteArrayList<>())
                                .add(Thread.currentThread().getName());
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void theConsumerNeverCallsTheClientFromTheThreadThatReadAReply() throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("aws-sfn-activity:" + ARN + "?concurrentPollers=2").routeId("worker")
                        .setBody(constant("{\"done\":true}"));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> sfn.openPolls() == 2);

        for (int i = 0; i < TASKS; i++) {
            sfn.offer(TOKEN + "-" + i, "{\"n\":" + i + "}");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> sfn.answers("SendTaskSuccess").size() == TASKS);
        assertThat(repliesGiven).as("the consumer gives its client threads to complete its calls on").isNotEmpty();
        // each poll that brought a task opens the next one where its reply was completed
        assertThat(callThreads.get("getActivityTask")).hasSizeGreaterThan(TASKS)
                .as("threads the polls were sent from").noneMatch(name -> name.startsWith("aws-sfn-netty"))
                .anyMatch(name -> name.contains("AwsSfnReply"));
        assertThat(callThreads.get("sendTaskSuccess")).hasSize(TASKS)
                .noneMatch(name -> name.startsWith("aws-sfn-netty"));
    }
}
