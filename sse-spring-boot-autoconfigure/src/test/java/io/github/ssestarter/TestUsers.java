package io.github.ssestarter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Signs test requests in as the user their {@link TestUserFilter#HEADER} names, on whichever web
 * stack the application runs: {@link TestUserFilter} on Spring MVC, {@link TestUserWebFilter} on
 * Spring WebFlux.
 */
@Configuration(proxyBeanMethods = false)
@Import({ TestUsers.Servlet.class, TestUsers.Reactive.class })
public class TestUsers {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	static class Servlet {

		@Bean
		TestUserFilter testUserFilter() {
			return new TestUserFilter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class Reactive {

		@Bean
		TestUserWebFilter testUserWebFilter() {
			return new TestUserWebFilter();
		}

	}

}
