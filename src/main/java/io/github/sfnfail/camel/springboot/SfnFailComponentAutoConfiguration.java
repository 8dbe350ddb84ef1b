package io.github.sfnfail.camel.springboot;

import java.util.HashMap;
import java.util.Map;

import io.github.sfnfail.camel.SfnFailComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Binds {@code camel.component.aws-sfn-fail.*} Spring Boot properties to the component, which camel-spring-boot
 * otherwise ignores for a component without a starter of its own. Options are named as in camel-main
 * ({@code region}, {@code retry-mode}, {@code access-key}...); an unknown name fails the start instead of being
 * silently ignored. {@code enabled} and {@code customizer.*} are left to camel-spring-boot.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@ConditionalOnClass({ CamelAutoConfiguration.class, SfnFailComponent.class })
public class SfnFailComponentAutoConfiguration {

    static final String PREFIX = "camel.component.aws-sfn-fail";

    @Bean
    @ConditionalOnMissingBean(name = "awsSfnFailComponentCustomizer")
    public ComponentCustomizer awsSfnFailComponentCustomizer(Environment environment) {
        return ComponentCustomizer.forType(SfnFailComponent.class, component -> {
            Map<String, Object> options = new HashMap<>();
            Binder.get(environment).bind(PREFIX, Bindable.mapOf(String.class, String.class)).ifBound(bound -> bound
                    .forEach((name, value) -> {
                        if (!name.equals("enabled") && !name.startsWith("customizer")) {
                            options.put(StringHelper.dashToCamelCase(name), value);
                        }
                    }));
            if (!options.isEmpty()) {
                PropertyBindingSupport.build().withMandatory(true).withIgnoreCase(true)
                        .withConfigurer(component.getComponentPropertyConfigurer())
                        .bind(component.getCamelContext(), component, options);
            }
        });
    }
}
