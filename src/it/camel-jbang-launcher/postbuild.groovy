// the launcher ran Camel JBang's own command, at the Camel the docs pin
def log = new File(basedir, 'build.log').text
assert log.contains('Camel JBang version: 4.17.0') : 'no "Camel JBang version: 4.17.0" in build.log'
