<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>DetailsPage</name>
    <message numerus="yes">
        <source>%n run(s) kept in {path}. Nothing is uploaded; how many are kept is set in history.toml in the settings folder.</source>
        <translation>
            <numerusform>%n run kept in {path}. Nothing is uploaded; how many are kept is set in history.toml in the settings folder.</numerusform>
            <numerusform>%n runs kept in {path}. Nothing is uploaded; how many are kept is set in history.toml in the settings folder.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n character(s). Paste them into your ticket or email.</source>
        <translation>
            <numerusform>Copied %n character. Paste it into your ticket or email.</numerusform>
            <numerusform>Copied %n characters. Paste them into your ticket or email.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message numerus="yes">
        <source>%n check(s) have not run yet.</source>
        <translation>
            <numerusform>%n check has not run yet.</numerusform>
            <numerusform>%n checks have not run yet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) need attention.</source>
        <translation>
            <numerusform>%n check needs attention.</numerusform>
            <numerusform>%n checks need attention.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n preparation item(s) not ticked yet.</source>
        <translation>
            <numerusform>%n preparation item not ticked yet.</numerusform>
            <numerusform>%n preparation items not ticked yet.</numerusform>
        </translation>
    </message>
</context>
</TS>
