package io.github.ssestarter.broadcast;

import java.io.IOException;
import java.security.Principal;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseSubscription;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An application that subscribes clients to any topic, and signs a request in as the user its
 * {@code X-Test-User} header names (standing in for Spring Security, which sets the principal the
 * same way).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(BroadcastTestApplication.TopicController.class)
class BroadcastTestApplication {

	static final String USER_HEADER = "X-Test-User";

	@Bean
	OncePerRequestFilter testUserFilter() {
		return new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				String user = request.getHeader(USER_HEADER);
				if (user == null) {
					chain.doFilter(request, response);
					return;
				}
				Principal principal = () -> user;
				chain.doFilter(new HttpServletRequestWrapper(request) {

					@Override
					public Principal getUserPrincipal() {
						return principal;
					}

				}, response);
			}

		};
	}

	@RestController
	static class TopicController {

		private final SseBroadcaster broadcaster;

		TopicController(SseBroadcaster broadcaster) {
			this.broadcaster = broadcaster;
		}

		@GetMapping("/topics/{topic}")
		SseSubscription subscribe(@PathVariable String topic) {
			return this.broadcaster.subscribe(topic);
		}

		@GetMapping("/topics/{topic}/broken-filter")
		SseSubscription subscribeWithAFilterThatFails(@PathVariable String topic) {
			return this.broadcaster.subscribe(topic, (item) -> {
				throw new IllegalStateException("filter broke on purpose");
			});
		}

		@GetMapping("/topics/{topic}/even")
		SseSubscription subscribeToEvenData(@PathVariable String topic) {
			return this.broadcaster.subscribe(topic, (item) -> Integer.parseInt((String) item.data()) % 2 == 0);
		}

	}

}
