package io.github.ssestarter.internal.webmvc;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.ssestarter.SseItem;
import io.github.ssestarter.internal.web.SseTestClient;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code Stream} answered over real HTTP by an application that has no Reactor at all. Run only
 * by the {@code without-reactor} Surefire execution, whose class path leaves Reactor out; on its
 * own: {@code mvn test-compile surefire:test@without-reactor}.
 */
@SpringBootTest(classes = StreamingWithoutReactorTests.NoReactorApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class StreamingWithoutReactorTests {

	@LocalServerPort
	int port;

	@Autowired
	RequestMappingHandlerAdapter handlerAdapter;

	@Test
	void runsWithoutReactorOnTheClassPath() {
		assertThat(ClassUtils.isPresent("reactor.core.publisher.Flux", null)).isFalse();
		assertThat(ClassUtils.isPresent("org.reactivestreams.Publisher", null)).isFalse();
	}

	@Test
	void putsTheStreamHandlerFirstWithoutReactor() {
		assertThat(this.handlerAdapter.getReturnValueHandlers()).first().isInstanceOf(SseReturnValueHandler.class);
	}

	@Test
	void answersAStreamOfItemsWithAnEventStream() {
		try (SseTestClient.Stream stream = new SseTestClient(this.port).open("/greetings")) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
			List<SseEvent> events = new ArrayList<>();
			for (SseEvent event = stream.next(); event != null; event = stream.next()) {
				events.add(event);
			}
			assertThat(events).containsExactly(new SseEvent("greeting", "hello", "1"),
					new SseEvent("greeting", "bonjour", "2"));
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(GreetingController.class)
	static class NoReactorApplication {

	}

	@RestController
	static class GreetingController {

		@GetMapping("/greetings")
		Stream<SseItem<String>> greetings() {
			return Stream.of(SseItem.of("greeting", "hello").withId("1"), SseItem.of("greeting", "bonjour").withId("2"));
		}

	}

}
