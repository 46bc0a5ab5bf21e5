<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sv_SE">
<context>
    <name>CallPreview</name>
    <message>
        <source>Paused while the check runs.</source>
        <translation>Pausad medan kontrollen pågår.</translation>
    </message>
    <message>
        <source>Nothing to model: the connection was not measured.</source>
        <translation>Inget att visa: anslutningen mättes inte.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Startar…</translation>
    </message>
    <message>
        <source>Playing the sentence as they would hear it…</source>
        <translation>Spelar meningen som de skulle höra den…</translation>
    </message>
    <message>
        <source>Nothing could be heard: in demo mode the sound goes to a stand-in speaker. Choose your speakers on the Speakers page to listen.</source>
        <translation>Inget kunde höras: i demoläget går ljudet till en ersättningshögtalare. Välj dina högtalare på sidan Högtalare för att lyssna.</translation>
    </message>
    <message>
        <source>That is how the sample sentence would arrive. Record your own on the Microphone page to hear your voice.</source>
        <translation>Så skulle exempelmeningen komma fram. Spela in din egen på sidan Mikrofon för att höra din röst.</translation>
    </message>
    <message>
        <source>That is how your voice would arrive.</source>
        <translation>Så skulle din röst komma fram.</translation>
    </message>
    <message>
        <source>How to fix it: </source>
        <translation>Så åtgärdar du det: </translation>
    </message>
    <message>
        <source>Text, with the picture and sound beside it</source>
        <translation>Text, med bilden och ljudet bredvid</translation>
    </message>
    <message>
        <source>TechCheck-interviewer-view-{date}</source>
        <translation>TechCheck-intervjuarens-vy-{date}</translation>
    </message>
    <message>
        <source>Save the preview for IT support</source>
        <translation>Spara förhandsvisningen åt IT-supporten</translation>
    </message>
    <message>
        <source>Saving {path}…</source>
        <translation>Sparar {path}…</translation>
    </message>
    <message>
        <source>Saved in {folder}: {files}</source>
        <translation>Sparat i {folder}: {files}</translation>
    </message>
    <message>
        <source>Not everything could be saved: {why}</source>
        <translation>Allt kunde inte sparas: {why}</translation>
    </message>
    <message>
        <source>The preview could not be saved: {error}</source>
        <translation>Förhandsvisningen kunde inte sparas: {error}</translation>
    </message>
    <message>
        <source>Hide the numbers</source>
        <translation>Dölj siffrorna</translation>
    </message>
    <message>
        <source>Show the numbers behind it</source>
        <translation>Visa siffrorna bakom</translation>
    </message>
    <message>
        <source>The connection&apos;s upload, loss or jitter could not be measured, so there is nothing to model. Run the connection check again.</source>
        <translation>Anslutningens uppladdning, förlust eller jitter kunde inte mätas, så det finns inget att modellera. Kör anslutningskontrollen igen.</translation>
    </message>
    <message>
        <source>&amp;Upload to try: {value} (measured)</source>
        <translation>&amp;Uppladdning att prova: {value} (uppmätt)</translation>
    </message>
    <message>
        <source>&amp;Upload to try: {value}</source>
        <translation>&amp;Uppladdning att prova: {value}</translation>
    </message>
    <message>
        <source>&amp;Loss to try: {value}</source>
        <translation>&amp;Förlust att prova: {value}</translation>
    </message>
    <message>
        <source>Record the sentence on the Microphone page to hear it as they would.</source>
        <translation>Spela in meningen på sidan Mikrofon för att höra den som de skulle göra.</translation>
    </message>
    <message>
        <source>As they will see and hear you</source>
        <translation>Så här kommer de att se och höra dig</translation>
    </message>
    <message>
        <source>How you will look to the interviewer</source>
        <translation>Så ser intervjuaren dig</translation>
    </message>
    <message>
        <source>The numbers behind it</source>
        <translation>Siffrorna bakom</translation>
    </message>
    <message>
        <source>You, here</source>
        <translation>Du, här</translation>
    </message>
    <message>
        <source>What they see</source>
        <translation>Det de ser</translation>
    </message>
    <message>
        <source>Your live picture</source>
        <translation>Din livebild</translation>
    </message>
    <message>
        <source>Your picture as they will see it</source>
        <translation>Din bild som de kommer att se den</translation>
    </message>
    <message>
        <source>Numbers the model used</source>
        <translation>Värden som modellen använde</translation>
    </message>
    <message>
        <source>What if: upload speed</source>
        <translation>Tänk om: uppladdningshastighet</translation>
    </message>
    <message>
        <source>What if: packet loss</source>
        <translation>Tänk om: paketförlust</translation>
    </message>
    <message>
        <source>&amp;Hear the sentence as they will</source>
        <translation>&amp;Hör meningen som de kommer att höra den</translation>
    </message>
    <message>
        <source>Play the sentence as they will hear it</source>
        <translation>Spela upp meningen som de kommer att höra den</translation>
    </message>
    <message>
        <source>Back to the &amp;measured values</source>
        <translation>Tillbaka till de &amp;uppmätta värdena</translation>
    </message>
    <message>
        <source>Back to the measured values</source>
        <translation>Tillbaka till de uppmätta värdena</translation>
    </message>
    <message>
        <source>&amp;Save for IT support…</source>
        <translation>&amp;Spara åt IT-supporten…</translation>
    </message>
</context>
<context>
    <name>CameraPage</name>
    <message>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <source>Sit as you will in the interview. Put your eyes near the upper line and your face in the middle; light should come from in front of you.</source>
        <translation>Sitt som du kommer att sitta under intervjun. Ha ögonen nära den övre linjen och ansiktet i mitten; ljuset ska komma framifrån.</translation>
    </message>
    <message>
        <source>&amp;Camera:</source>
        <translation>&amp;Kamera:</translation>
    </message>
    <message>
        <source>Camera to use</source>
        <translation>Kamera att använda</translation>
    </message>
    <message>
        <source>Camera preview</source>
        <translation>Förhandsvisning från kameran</translation>
    </message>
    <message>
        <source>&amp;Add a still picture of me to the report</source>
        <translation>&amp;Lägg till en stillbild av mig i rapporten</translation>
    </message>
    <message>
        <source>Add a still picture of me to the report</source>
        <translation>Lägg till en stillbild av mig i rapporten</translation>
    </message>
    <message>
        <source>The camera is adjusting to the light. Sit as you will in the interview.</source>
        <translation>Kameran ställer in sig efter ljuset. Sitt som du kommer att sitta i intervjun.</translation>
    </message>
    <message>
        <source>TechCheck is looking at the sample video, not your camera: the light on the face, where it sits in the picture, and whether the picture is sharp and smooth.</source>
        <translation>TechCheck granskar exempelvideon, inte din kamera: ljuset på ansiktet, var det sitter i bilden och om bilden är skarp och jämn.</translation>
    </message>
    <message>
        <source>TechCheck is looking at your picture: the light on your face, where you sit in the picture, and whether the picture is sharp and smooth. Stay as you are.</source>
        <translation>TechCheck granskar din bild: ljuset på ditt ansikte, var du sitter i bilden och om bilden är skarp och jämn. Sitt kvar som du sitter.</translation>
    </message>
    <message>
        <source>{seconds} s left</source>
        <translation>{seconds} s kvar</translation>
    </message>
    <message>
        <source>Checking: {seconds} s left</source>
        <translation>Kontrollerar: {seconds} s kvar</translation>
    </message>
    <message>
        <source>Off by default. When ticked, the camera check takes one small still picture and only the report you export shows it. Nothing else from the camera is stored: no video, and the history kept on this computer never holds the picture.</source>
        <translation>Av från början. När rutan är ikryssad tar kamerakontrollen en liten stillbild, och bara rapporten du exporterar visar den. Inget annat från kameran sparas: ingen video, och historiken på den här datorn sparar aldrig bilden.</translation>
    </message>
    <message>
        <source>Check the camera again to take the picture.</source>
        <translation>Kontrollera kameran igen för att ta bilden.</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>Startar kameran…</translation>
    </message>
    <message>
        <source>How to fix it: </source>
        <translation>Så åtgärdar du det: </translation>
    </message>
    <message>
        <source>The camera cannot be shown</source>
        <translation>Kamerabilden kan inte visas</translation>
    </message>
    <message>
        <source>Waiting for the picture</source>
        <translation>Väntar på bilden</translation>
    </message>
    <message>
        <source>Looks good</source>
        <translation>Ser bra ut</translation>
    </message>
    <message>
        <source>Not quite yet: see the tips below</source>
        <translation>Inte riktigt än: se tipsen nedan</translation>
    </message>
</context>
<context>
    <name>CheckPanel</name>
    <message>
        <source>Check again</source>
        <translation>Kontrollera igen</translation>
    </message>
    <message>
        <source>Check the camera</source>
        <translation>Kontrollera kameran</translation>
    </message>
    <message>
        <source>Check the microphone</source>
        <translation>Kontrollera mikrofonen</translation>
    </message>
    <message>
        <source>Check the speakers</source>
        <translation>Kontrollera högtalarna</translation>
    </message>
    <message>
        <source>Check the connection</source>
        <translation>Kontrollera anslutningen</translation>
    </message>
    <message>
        <source>Check the computer</source>
        <translation>Kontrollera datorn</translation>
    </message>
    <message>
        <source>Check this step</source>
        <translation>Kontrollera det här steget</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Avbryt</translation>
    </message>
    <message>
        <source>Cancel the check</source>
        <translation>Avbryt kontrollen</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>Answer yes</source>
        <translation>Svara ja</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nej</translation>
    </message>
    <message>
        <source>Answer no</source>
        <translation>Svara nej</translation>
    </message>
    <message>
        <source>Progress of the check</source>
        <translation>Kontrollens förlopp</translation>
    </message>
    <message>
        <source>This version has no check for this step yet.</source>
        <translation>Den här versionen har ännu ingen kontroll för det här steget.</translation>
    </message>
    <message>
        <source>Checking: {title}</source>
        <translation>Kontrollerar: {title}</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Klar</translation>
    </message>
    <message>
        <source>The check stopped unexpectedly: {error}</source>
        <translation>Kontrollen avbröts oväntat: {error}</translation>
    </message>
</context>
<context>
    <name>ChecklistPage</name>
    <message>
        <source>Preparation</source>
        <translation>Förberedelser</translation>
    </message>
    <message>
        <source>Your preparation</source>
        <translation>Dina förberedelser</translation>
    </message>
    <message>
        <source>Tick what is done. The list goes into the report, so the interview panel sees what is ready.</source>
        <translation>Bocka för det som är klart. Listan kommer med i rapporten, så att intervjupanelen ser vad som är förberett.</translation>
    </message>
    <message>
        <source>&amp;Start the check</source>
        <translation>&amp;Starta kontrollen</translation>
    </message>
    <message>
        <source>Start the check</source>
        <translation>Starta kontrollen</translation>
    </message>
</context>
<context>
    <name>DetailsPage</name>
    <message>
        <source>Details</source>
        <translation>Detaljer</translation>
    </message>
    <message>
        <source>Details for IT support</source>
        <translation>Detaljer för IT-support</translation>
    </message>
    <message>
        <source>Every measured value with the limit it was held to, the devices found, and the log.</source>
        <translation>Alla uppmätta värden med gränsen de jämfördes med, enheterna som hittades och loggen.</translation>
    </message>
    <message>
        <source>&amp;Copy diagnostics</source>
        <translation>&amp;Kopiera diagnostik</translation>
    </message>
    <message>
        <source>Copy diagnostics to the clipboard</source>
        <translation>Kopiera diagnostik till urklipp</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Mätvärden</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Enheter</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Logg</translation>
    </message>
    <message>
        <source>Kept runs</source>
        <translation>Sparade körningar</translation>
    </message>
    <message>
        <source>When</source>
        <translation>När</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Omdöme</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fil</translation>
    </message>
    <message>
        <source>Runs kept on this computer</source>
        <translation>Körningar som sparats på den här datorn</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Kontroll</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Mätvärde</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Värde</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Enhet</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>Gräns</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Every metric with its limit</source>
        <translation>Alla mätvärden med sina gränser</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Index</source>
        <translation>Index</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Namn</translation>
    </message>
    <message>
        <source>Devices found</source>
        <translation>Enheter som hittades</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) kept in {path}. Nothing is uploaded; how many are kept is set in history.toml in the settings folder.</source>
        <translation>
            <numerusform>%n körning sparad i {path}. Inget laddas upp; hur många som sparas ställs in i history.toml i inställningsmappen.</numerusform>
            <numerusform>%n körningar sparade i {path}. Inget laddas upp; hur många som sparas ställs in i history.toml i inställningsmappen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n character(s). Paste them into your ticket or email.</source>
        <translation>
            <numerusform>Kopierade %n tecken. Klistra in dem i ditt ärende eller e-postmeddelande.</numerusform>
            <numerusform>Kopierade %n tecken. Klistra in dem i ditt ärende eller e-postmeddelande.</numerusform>
        </translation>
    </message>
    <message>
        <source>Column headings</source>
        <translation>Kolumnrubriker</translation>
    </message>
    <message>
        <source>The log is empty ({path}).</source>
        <translation>Loggen är tom ({path}).</translation>
    </message>
</context>
<context>
    <name>DevicePicker</name>
    <message>
        <source>Sample (demo mode)</source>
        <translation>Exempel (demoläge)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemets standard</translation>
    </message>
    <message>
        <source>{name} (default)</source>
        <translation>{name} (standard)</translation>
    </message>
</context>
<context>
    <name>DeviceProblem</name>
    <message>
        <source>the camera</source>
        <translation>kameran</translation>
    </message>
    <message>
        <source>the microphone</source>
        <translation>mikrofonen</translation>
    </message>
    <message>
        <source>the speakers</source>
        <translation>högtalarna</translation>
    </message>
    <message>
        <source>The sound system cannot be used (PortAudio is missing).</source>
        <translation>Ljudsystemet kan inte användas (PortAudio saknas).</translation>
    </message>
    <message>
        <source>Reinstall TechCheck; on Linux install the package libportaudio2.</source>
        <translation>Installera om TechCheck; på Linux installerar du paketet libportaudio2.</translation>
    </message>
    <message>
        <source>No {what} was found.</source>
        <translation>Hittade inte {what}.</translation>
    </message>
    <message>
        <source>Connect it, or choose another one in the list. In demo mode a sample is used instead.</source>
        <translation>Anslut den, eller välj en annan i listan. I demoläge används ett exempel i stället.</translation>
    </message>
    <message>
        <source>The computer does not allow TechCheck to use {what}.</source>
        <translation>Datorn tillåter inte TechCheck att använda {what}.</translation>
    </message>
    <message>
        <source>Allow access in the system&apos;s privacy settings (Camera or Microphone), then choose the device again.</source>
        <translation>Tillåt åtkomst i systemets integritetsinställningar (Kamera eller Mikrofon) och välj sedan enheten igen.</translation>
    </message>
    <message>
        <source>Another program is using {what}.</source>
        <translation>Ett annat program använder {what}.</translation>
    </message>
    <message>
        <source>Close Teams, Zoom, the browser tab of a meeting or any other program that uses it, then choose it again.</source>
        <translation>Stäng Teams, Zoom, webbläsarfliken med ett möte eller andra program som använder den, och välj den sedan igen.</translation>
    </message>
    <message>
        <source>{what} stopped working while it was being used.</source>
        <translation>{what} slutade fungera medan den användes.</translation>
    </message>
    <message>
        <source>Check the cable or the Bluetooth connection, then choose it again.</source>
        <translation>Kontrollera kabeln eller Bluetooth-anslutningen och välj den sedan igen.</translation>
    </message>
    <message>
        <source>The sample file cannot be read.</source>
        <translation>Exempelfilen kan inte läsas.</translation>
    </message>
    <message>
        <source>Reinstall TechCheck, or choose a real device.</source>
        <translation>Installera om TechCheck, eller välj en riktig enhet.</translation>
    </message>
    <message>
        <source>This part of TechCheck is not installed.</source>
        <translation>Den här delen av TechCheck är inte installerad.</translation>
    </message>
    <message>
        <source>Reinstall TechCheck.</source>
        <translation>Installera om TechCheck.</translation>
    </message>
    <message>
        <source>{what} cannot be used: {detail}</source>
        <translation>{what} kan inte användas: {detail}</translation>
    </message>
    <message>
        <source>Choose the device again. If it keeps failing, restart the computer.</source>
        <translation>Välj enheten igen. Om det fortsätter att misslyckas, starta om datorn.</translation>
    </message>
</context>
<context>
    <name>FileDialog</name>
    <message>
        <source>Replace the existing file in {folder}?</source>
        <extracomment>Characters Windows does not allow in a file name (Microsoft, &quot;Naming Files, Paths, and Namespaces&quot;), plus the control characters; &quot;/&quot; is macOS&apos;s and Linux&apos;s separator too, and Finder shows &quot;:&quot; as &quot;/&quot; (Apple, &quot;File System Programming Guide&quot;). Names Windows reserves for devices, with or without a suffix (same Microsoft page). Where a dialog opens the first time: a save in Documents, an open in Downloads (where a mail program or a browser puts an invitation someone sent).</extracomment>
        <translation>Ersätta den befintliga filen i {folder}?</translation>
    </message>
    <message>
        <source>Replace {n} existing files in {folder}?</source>
        <translation>Ersätta {n} befintliga filer i {folder}?</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>&amp;Ersätt</translation>
    </message>
    <message>
        <source>&amp;Choose another name</source>
        <translation>&amp;Välj ett annat namn</translation>
    </message>
    <message>
        <source>Replace the existing files</source>
        <translation>Ersätt de befintliga filerna</translation>
    </message>
    <message>
        <source>Choose another name</source>
        <translation>Välj ett annat namn</translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <source>Level {rms:.0f} dBFS, peak {peak:.0f} dBFS</source>
        <extracomment>target for speech, dBFS: the profile&apos;s first limits (``set_judgement``)</extracomment>
        <translation>Nivå {rms:.0f} dBFS, topp {peak:.0f} dBFS</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>TechCheck could not load its checks: {error}. Reinstall TechCheck; the log has the details.</source>
        <translation>TechCheck kunde inte läsa in sina kontroller: {error}. Installera om TechCheck; detaljerna finns i loggen.</translation>
    </message>
    <message>
        <source>Next: {step} →</source>
        <translation>Nästa: {step} →</translation>
    </message>
    <message>
        <source>Next step: {step}</source>
        <translation>Nästa steg: {step}</translation>
    </message>
    <message>
        <source>Next →</source>
        <translation>Nästa →</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>Nästa steg</translation>
    </message>
    <message>
        <source>← &amp;Back</source>
        <translation>← &amp;Tillbaka</translation>
    </message>
    <message>
        <source>Previous step</source>
        <translation>Föregående steg</translation>
    </message>
    <message>
        <source>TechCheck – ready for your video interview</source>
        <translation>TechCheck – redo för din videointervju</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Steg</translation>
    </message>
    <message>
        <source>Current step</source>
        <translation>Aktuellt steg</translation>
    </message>
    <message>
        <source>Demo mode: sample video and sound and a local server stand in for your devices. Turn it off on the Start page to test your own.</source>
        <translation>Demoläge: exempelvideo, exempelljud och en lokal server ersätter dina enheter. Stäng av det på startsidan för att testa dina egna.</translation>
    </message>
</context>
<context>
    <name>MicrophonePage</name>
    <message>
        <source>Microphone</source>
        <extracomment>the level as the check judges it: seeded by the check&apos;s result, then the live window&apos;s (checks/audio/livelevel.py), so the hint never contradicts the card</extracomment>
        <translation>Mikrofon</translation>
    </message>
    <message>
        <source>Speak as you will in the interview and read the sentence below aloud. The bar should stay in the marked zone while you speak.</source>
        <translation>Tala som du kommer att göra under intervjun och läs meningen nedan högt. Stapeln ska hålla sig inom det markerade området medan du talar.</translation>
    </message>
    <message>
        <source>“I am looking forward to telling you about my experience and hearing more about the role.”</source>
        <translation>”Jag ser fram emot att berätta om min erfarenhet och att höra mer om tjänsten.”</translation>
    </message>
    <message>
        <source>&amp;Microphone:</source>
        <translation>&amp;Mikrofon:</translation>
    </message>
    <message>
        <source>Microphone to use</source>
        <translation>Mikrofon att använda</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>Mikrofonnivå</translation>
    </message>
    <message>
        <source>&amp;Record 5 seconds</source>
        <translation>&amp;Spela in 5 sekunder</translation>
    </message>
    <message>
        <source>Record 5 seconds</source>
        <translation>Spela in 5 sekunder</translation>
    </message>
    <message>
        <source>&amp;Play back</source>
        <translation>Spela &amp;upp</translation>
    </message>
    <message>
        <source>Play back the recording</source>
        <translation>Spela upp inspelningen</translation>
    </message>
    <message>
        <source>TechCheck is listening to the room while you stay quiet: the noise and hum your microphone picks up.</source>
        <translation>TechCheck lyssnar på rummet medan du är tyst: bruset och brummet som din mikrofon tar upp.</translation>
    </message>
    <message>
        <source>TechCheck is listening to the sample recording, not your microphone: how loud the voice is, the noise around it, and whether the sound distorts.</source>
        <translation>TechCheck lyssnar på exempelinspelningen, inte din mikrofon: hur stark rösten är, bruset runt den och om ljudet förvrängs.</translation>
    </message>
    <message>
        <source>TechCheck is listening to the recording: how loud the voice is, the noise around it, and whether the sound distorts.</source>
        <translation>TechCheck lyssnar på inspelningen: hur stark rösten är, bruset runt den och om ljudet förvrängs.</translation>
    </message>
    <message>
        <source>TechCheck is listening: how loud your voice is, the noise around you, and whether the sound distorts.</source>
        <translation>TechCheck lyssnar: hur stark din röst är, bruset runt dig och om ljudet förvrängs.</translation>
    </message>
    <message>
        <source>{seconds} s left</source>
        <translation>{seconds} s kvar</translation>
    </message>
    <message>
        <source>Recording… read the sentence aloud.</source>
        <translation>Spelar in… läs meningen högt.</translation>
    </message>
    <message>
        <source>Recorded. Play it back and listen: is your voice clear and free of echo and hum?</source>
        <translation>Inspelat. Spela upp och lyssna: låter rösten tydlig, utan eko och brum?</translation>
    </message>
    <message>
        <source>Cannot play the recording.</source>
        <translation>Inspelningen kan inte spelas upp.</translation>
    </message>
    <message>
        <source>How to fix it: </source>
        <translation>Så åtgärdar du det: </translation>
    </message>
    <message>
        <source>Waiting for speech: read the sentence aloud</source>
        <translation>Väntar på tal: läs meningen högt</translation>
    </message>
    <message>
        <source>Waiting for sound</source>
        <translation>Väntar på ljud</translation>
    </message>
    <message>
        <source>{hint} ({value:.2f} % of the samples hit the ceiling; limit {threshold:.2f} %)</source>
        <translation>{hint} ({value:.2f} % av samplen når taket; gräns {threshold:.2f} %)</translation>
    </message>
    <message>
        <source>{hint} ({level:.1f} dBFS while speaking; want at least {threshold:.0f})</source>
        <translation>{hint} ({level:.1f} dBFS när du talar; bör vara minst {threshold:.0f})</translation>
    </message>
    <message>
        <source>{hint} ({level:.1f} dBFS while speaking; want at most {threshold:.0f})</source>
        <translation>{hint} ({level:.1f} dBFS när du talar; bör vara högst {threshold:.0f})</translation>
    </message>
    <message>
        <source>{hint} ({level:.1f} dBFS while speaking)</source>
        <translation>{hint} ({level:.1f} dBFS när du talar)</translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <source>Connection</source>
        <translation>Anslutning</translation>
    </message>
    <message>
        <source>Measures download and upload speed and the delay, also while the line is busy — that is what makes calls freeze. Use the network you will use in the interview.</source>
        <translation>Mäter hastighet för nedladdning och uppladdning och fördröjningen, även när linjen är belastad — det är det som får samtal att frysa. Använd nätverket du kommer att använda under intervjun.</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Hastighet</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Nedladdning</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>Uppladdning</translation>
    </message>
    <message>
        <source>Delay</source>
        <translation>Fördröjning</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Obelastad</translation>
    </message>
    <message>
        <source>While busy</source>
        <translation>Under belastning</translation>
    </message>
    <message>
        <source>Speed graph</source>
        <translation>Diagram över hastighet</translation>
    </message>
    <message>
        <source>Delay graph</source>
        <translation>Diagram över fördröjning</translation>
    </message>
    <message>
        <source>As the invitation asks, the connection is measured against the company&apos;s server {host}.</source>
        <translation>Som inbjudan begär mäts anslutningen mot företagets server {host}.</translation>
    </message>
    <message>
        <source>This is a real measurement even in demo mode: it is the connection your interview will use.</source>
        <translation>Det är en riktig mätning även i demoläge: det är den anslutningen din intervju kommer att använda.</translation>
    </message>
    <message>
        <source>Demo mode: measuring against a server on this computer ({url}).</source>
        <translation>Demoläge: mäter mot en server på den här datorn ({url}).</translation>
    </message>
    <message>
        <source>Demo mode: the local measurement server starts with the check.</source>
        <translation>Demoläge: den lokala mätservern startar med kontrollen.</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>Checking…</source>
        <translation>Kontrollerar…</translation>
    </message>
</context>
<context>
    <name>ResultCard</name>
    <message>
        <source>Run this check again when you are ready.</source>
        <translation>Kör den här kontrollen igen när du är redo.</translation>
    </message>
    <message>
        <source>Run the check again. If it keeps failing, restart the computer; IT support can read the details in the log</source>
        <translation>Kör kontrollen igen. Om den fortsätter att misslyckas, starta om datorn; IT-support kan läsa detaljerna i loggen</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Kontrollera igen</translation>
    </message>
    <message>
        <source>Check {title} again</source>
        <translation>Kontrollera {title} igen</translation>
    </message>
    <message>
        <source>What to do: </source>
        <translation>Vad du kan göra: </translation>
    </message>
    <message>
        <source>How to fix it: </source>
        <translation>Så åtgärdar du det: </translation>
    </message>
    <message>
        <source>Nothing to fix.</source>
        <translation>Inget att åtgärda.</translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <source>Results</source>
        <extracomment>a passed check&apos;s &quot;Check again&quot;, by check id (in its one-line row)</extracomment>
        <translation>Resultat</translation>
    </message>
    <message>
        <source>Your results</source>
        <translation>Ditt resultat</translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) have not run yet.</source>
        <translation>
            <numerusform>%n kontroll har inte körts än.</numerusform>
            <numerusform>%n kontroller har inte körts än.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n check(s) need attention.</source>
        <translation>
            <numerusform>%n kontroll behöver åtgärdas.</numerusform>
            <numerusform>%n kontroller behöver åtgärdas.</numerusform>
        </translation>
    </message>
    <message>
        <source>Check &amp;everything again</source>
        <translation>Kontrollera &amp;allt igen</translation>
    </message>
    <message>
        <source>Check everything again</source>
        <translation>Kontrollera allt igen</translation>
    </message>
    <message>
        <source>E&amp;xport the report</source>
        <translation>E&amp;xportera rapporten</translation>
    </message>
    <message>
        <source>Export the report</source>
        <translation>Exportera rapporten</translation>
    </message>
    <message>
        <source>PDF document…</source>
        <translation>PDF-dokument…</translation>
    </message>
    <message>
        <source>Web page (HTML)…</source>
        <translation>Webbsida (HTML)…</translation>
    </message>
    <message>
        <source>Data for IT support (JSON)…</source>
        <translation>Data för IT-support (JSON)…</translation>
    </message>
    <message>
        <source>Plain text…</source>
        <translation>Ren text…</translation>
    </message>
    <message>
        <source>Nothing checked yet</source>
        <translation>Inget är kontrollerat ännu</translation>
    </message>
    <message>
        <source>Not finished yet</source>
        <translation>Inte klart ännu</translation>
    </message>
    <message>
        <source>Check everything at once, or go through the steps on the left.</source>
        <translation>Kontrollera allt på en gång, eller gå igenom stegen till vänster.</translation>
    </message>
    <message>
        <source>The demo runs the camera, microphone and speaker checks on sample media: it says nothing about your own devices.</source>
        <translation>Demon kör kamera-, mikrofon- och högtalarkontrollerna på exempelmaterial: den säger ingenting om dina egna enheter.</translation>
    </message>
    <message>
        <source>Everything checked so far works.</source>
        <translation>Allt som har kontrollerats hittills fungerar.</translation>
    </message>
    <message>
        <source>What was checked so far will work, but fix what is listed below.</source>
        <translation>Det som har kontrollerats hittills kommer att fungera, men åtgärda det som listas nedan.</translation>
    </message>
    <message>
        <source>Everything needed for the interview works.</source>
        <translation>Allt som behövs för intervjun fungerar.</translation>
    </message>
    <message>
        <source>It will work, but fix what is listed below for a better interview.</source>
        <translation>Det kommer att fungera, men åtgärda det som listas nedan för en bättre intervju.</translation>
    </message>
    <message>
        <source>Fix what is listed below before the interview.</source>
        <translation>Åtgärda det som listas nedan före intervjun.</translation>
    </message>
    <message numerus="yes">
        <source>%n preparation item(s) not ticked yet.</source>
        <translation>
            <numerusform>%n förberedelse är inte avbockad ännu.</numerusform>
            <numerusform>%n förberedelser är inte avbockade ännu.</numerusform>
        </translation>
    </message>
    <message>
        <source>Check &amp;everything</source>
        <translation>Kontrollera &amp;allt</translation>
    </message>
    <message>
        <source>Check everything</source>
        <translation>Kontrollera allt</translation>
    </message>
    <message>
        <source>{check}: nothing to fix</source>
        <translation>{check}: inget att åtgärda</translation>
    </message>
    <message>
        <source>Nothing to fix: {checks}</source>
        <translation>Inget att åtgärda: {checks}</translation>
    </message>
    <message>
        <source>This run could not be kept on this computer for a later comparison: {error}</source>
        <translation>Den här körningen kunde inte sparas på datorn för en senare jämförelse: {error}</translation>
    </message>
    <message>
        <source>Since your previous run</source>
        <translation>Sedan din förra körning</translation>
    </message>
    <message>
        <source>Checking {check} again…</source>
        <translation>Kontrollerar {check} igen…</translation>
    </message>
    <message>
        <source>{check} could not be checked again.</source>
        <translation>{check} kunde inte kontrolleras igen.</translation>
    </message>
    <message>
        <source>{check} checked again at {time}: {status}</source>
        <translation>{check} kontrollerades igen kl. {time}: {status}</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Kontrollerar…</translation>
    </message>
    <message>
        <source>PDF document</source>
        <translation>PDF-dokument</translation>
    </message>
    <message>
        <source>Web page</source>
        <translation>Webbsida</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>Ren text</translation>
    </message>
    <message>
        <source>Data for IT support</source>
        <translation>Data för IT-support</translation>
    </message>
    <message>
        <source>TechCheck-report-{date}</source>
        <translation>TechCheck-rapport-{date}</translation>
    </message>
    <message>
        <source>Writing {path}…</source>
        <translation>Skriver {path}…</translation>
    </message>
    <message>
        <source>The report could not be saved: {error}</source>
        <translation>Rapporten kunde inte sparas: {error}</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>Sparad: {path}</translation>
    </message>
</context>
<context>
    <name>SelfView</name>
    <message>
        <source>Live picture of you</source>
        <translation>Livebild av dig</translation>
    </message>
    <message>
        <source>Sample video, not your camera</source>
        <translation>Exempelvideo, inte din kamera</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>Startar kameran…</translation>
    </message>
    <message>
        <source>Demo mode shows a sample video here, not your camera. The lines show where the eyes and the face belong.</source>
        <translation>Demoläget visar en exempelvideo här, inte din kamera. Linjerna visar var ögonen och ansiktet ska vara.</translation>
    </message>
    <message>
        <source>This is how you look now. Sit as you will in the interview: eyes near the upper line, face in the middle, light from in front of you.</source>
        <translation>Så här ser du ut nu. Sitt som du kommer att sitta i intervjun: ögonen nära den övre linjen, ansiktet i mitten och ljuset framifrån.</translation>
    </message>
    <message>
        <source>How to fix it: </source>
        <translation>Så åtgärdar du det: </translation>
    </message>
    <message>
        <source>Your camera</source>
        <translation>Din kamera</translation>
    </message>
</context>
<context>
    <name>SpeakersPage</name>
    <message>
        <source>Speakers</source>
        <translation>Högtalare</translation>
    </message>
    <message>
        <source>Use the speakers or headphones you will use in the interview. Headphones stop the other person hearing themselves as an echo.</source>
        <translation>Använd de högtalare eller hörlurar du kommer att använda under intervjun. Med hörlurar slipper den andra personen höra sig själv som ett eko.</translation>
    </message>
    <message>
        <source>&amp;Speakers:</source>
        <translation>&amp;Högtalare:</translation>
    </message>
    <message>
        <source>Speakers or headphones to use</source>
        <translation>Högtalare eller hörlurar att använda</translation>
    </message>
    <message>
        <source>&amp;Play a test sound</source>
        <translation>&amp;Spela ett testljud</translation>
    </message>
    <message>
        <source>Play a test sound</source>
        <translation>Spela ett testljud</translation>
    </message>
    <message>
        <source>The echo test plays a short sound and listens with the microphone: if the microphone hears the speakers loudly, the other person will hear an echo.</source>
        <translation>Ekotestet spelar ett kort ljud och lyssnar med mikrofonen: om mikrofonen hör högtalarna starkt kommer den andra personen att höra ett eko.</translation>
    </message>
    <message>
        <source>Playing the test sound into the sample speaker (demo mode): nothing comes out of this computer&apos;s speakers.</source>
        <translation>Spelar testljudet i exempelhögtalaren (demoläge): inget hörs i den här datorns högtalare.</translation>
    </message>
    <message>
        <source>Playing… you should hear a voice.</source>
        <translation>Spelar… du bör höra en röst.</translation>
    </message>
    <message>
        <source>The sample speaker took the test sound (demo mode). Choose your own speakers to hear it.</source>
        <translation>Exempelhögtalaren tog emot testljudet (demoläge). Välj dina egna högtalare för att höra det.</translation>
    </message>
    <message>
        <source>Did you hear it clearly? If not, turn the volume up or choose other speakers.</source>
        <translation>Hörde du det tydligt? Om inte, höj volymen eller välj andra högtalare.</translation>
    </message>
    <message>
        <source>How to fix it: </source>
        <translation>Så åtgärdar du det: </translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Get ready to hold a video interview</source>
        <translation>Gör dig redo att hålla en videointervju</translation>
    </message>
    <message>
        <source>In a few minutes TechCheck tests your camera, microphone, speakers, connection and computer, so that the candidate sees and hears you well, and tells you exactly what to fix. Tick your preparation in the next step. Nothing you say or show leaves this computer.</source>
        <translation>På några minuter testar TechCheck din kamera, mikrofon, högtalare, anslutning och dator, så att kandidaten ser och hör dig väl, och säger exakt vad du ska åtgärda. Bocka av dina förberedelser i nästa steg. Inget du säger eller visar lämnar den här datorn.</translation>
    </message>
    <message>
        <source>Get ready for your video interview</source>
        <translation>Gör dig redo för din videointervju</translation>
    </message>
    <message>
        <source>In a few minutes TechCheck tests your camera, microphone, speakers, connection and computer, and tells you exactly what to fix. Nothing you say or show leaves this computer.</source>
        <translation>På några minuter testar TechCheck kamera, mikrofon, högtalare, anslutning och dator, och berättar exakt vad du behöver åtgärda. Inget du säger eller visar lämnar den här datorn.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>Sp&amp;råk:</translation>
    </message>
    <message>
        <source>I &amp;am:</source>
        <translation>Jag &amp;är:</translation>
    </message>
    <message>
        <source>&amp;Demo mode:</source>
        <translation>&amp;Demoläge:</translation>
    </message>
    <message>
        <source>Same as the computer</source>
        <translation>Samma som datorn</translation>
    </message>
    <message>
        <source>A candidate</source>
        <translation>Kandidat</translation>
    </message>
    <message>
        <source>A recruiter</source>
        <translation>Rekryterare</translation>
    </message>
    <message>
        <source>IT support</source>
        <translation>IT-support</translation>
    </message>
    <message>
        <source>Another service or not known</source>
        <translation>En annan tjänst eller vet inte</translation>
    </message>
    <message>
        <source>Offered when no camera or microphone is found</source>
        <translation>Erbjuds när ingen kamera eller mikrofon hittas</translation>
    </message>
    <message>
        <source>On: use sample video, sound and a local server</source>
        <translation>På: använd exempelvideo, exempelljud och en lokal server</translation>
    </message>
    <message>
        <source>Off: use my devices</source>
        <translation>Av: använd mina enheter</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Språk</translation>
    </message>
    <message>
        <source>Your role</source>
        <translation>Din roll</translation>
    </message>
    <message>
        <source>Video service of the interview</source>
        <translation>Intervjuns videotjänst</translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation>Demoläge</translation>
    </message>
    <message>
        <source>The interview is &amp;on:</source>
        <translation>Intervjun sker &amp;i:</translation>
    </message>
    <message>
        <source>&amp;Start the check</source>
        <translation>&amp;Starta kontrollen</translation>
    </message>
    <message>
        <source>Start the check</source>
        <translation>Starta kontrollen</translation>
    </message>
    <message>
        <source>Checks camera, microphone, speakers, connection and computer one after the other, in about a minute. Stay close: a step may ask you something.</source>
        <translation>Kontrollerar kamera, mikrofon, högtalare, anslutning och dator efter varandra, på ungefär en minut. Stanna kvar: ett steg kan fråga dig något.</translation>
    </message>
    <message>
        <source>Open &amp;invitation…</source>
        <translation>Ö&amp;ppna inbjudan…</translation>
    </message>
    <message>
        <source>Open an invitation file from the recruiter</source>
        <translation>Öppna en inbjudningsfil från rekryteraren</translation>
    </message>
    <message>
        <source>A recruiter may send you a TechCheck invitation (.toml): it sets the video service, the company&apos;s measurement server and shows the interview&apos;s time.</source>
        <translation>En rekryterare kan skicka dig en TechCheck-inbjudan (.toml): den väljer videotjänst och företagets mätserver och visar när intervjun är.</translation>
    </message>
    <message>
        <source>Close the in&amp;vitation</source>
        <translation>Stäng inb&amp;judan</translation>
    </message>
    <message>
        <source>Close the invitation</source>
        <translation>Stäng inbjudan</translation>
    </message>
    <message>
        <source>A server inside your network</source>
        <translation>En server i ditt eget nätverk</translation>
    </message>
    <message>
        <source>&amp;Use it, I trust the sender</source>
        <translation>&amp;Använd den, jag litar på avsändaren</translation>
    </message>
    <message>
        <source>Use the server inside my network</source>
        <translation>Använd servern i mitt nätverk</translation>
    </message>
    <message>
        <source>Do &amp;not use this invitation</source>
        <translation>Använd i&amp;nte den här inbjudan</translation>
    </message>
    <message>
        <source>Do not use this invitation</source>
        <translation>Använd inte den här inbjudan</translation>
    </message>
    <message>
        <source>Then press “Look again”.</source>
        <translation>Tryck sedan på ”Leta igen”.</translation>
    </message>
    <message>
        <source>Or see first how TechCheck works, with a sample video, a sample recording and a measurement server on this computer. That is a demo: it says nothing about your own devices.</source>
        <translation>Eller se först hur TechCheck fungerar, med en exempelvideo, en exempelinspelning och en mätserver på den här datorn. Det är en demo: den säger ingenting om dina egna enheter.</translation>
    </message>
    <message>
        <source>Looking…</source>
        <translation>Letar…</translation>
    </message>
    <message>
        <source>&amp;Look again</source>
        <translation>&amp;Leta igen</translation>
    </message>
    <message>
        <source>Look for the camera and microphone again</source>
        <translation>Leta efter kameran och mikrofonen igen</translation>
    </message>
    <message>
        <source>Check my devices &amp;anyway</source>
        <translation>Kontrollera mina enheter &amp;ändå</translation>
    </message>
    <message>
        <source>Check my devices anyway</source>
        <translation>Kontrollera mina enheter ändå</translation>
    </message>
    <message>
        <source>Open an invitation</source>
        <translation>Öppna en inbjudan</translation>
    </message>
    <message>
        <source>TechCheck invitations</source>
        <translation>TechCheck-inbjudningar</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Alla filer</translation>
    </message>
    <message>
        <source>The invitation {file} asks TechCheck to measure against {servers}, which is on this computer or inside your own network, not on the internet where a company&apos;s measurement server is. This may be a mistake, or an attempt to make TechCheck contact devices on your network. Use it only if you trust whoever sent it.</source>
        <translation>Inbjudan {file} ber TechCheck mäta mot {servers}, som finns på den här datorn eller i ditt eget nätverk, inte på internet där ett företags mätserver finns. Det kan vara ett misstag, eller ett försök att få TechCheck att kontakta enheter i ditt nätverk. Använd den bara om du litar på den som skickade den.</translation>
    </message>
    <message>
        <source>it names a server on this computer or inside your network, and you chose not to use it</source>
        <translation>den anger en server på den här datorn eller i ditt nätverk, och du valde att inte använda den</translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation>Läser {file}…</translation>
    </message>
    <message>
        <source>This invitation cannot be used, so nothing was changed: {error}. Ask the recruiter to send it again.</source>
        <translation>Den här inbjudan kan inte användas, så inget har ändrats: {error}. Be rekryteraren skicka den igen.</translation>
    </message>
    <message>
        <source>Invitation from {company}</source>
        <translation>Inbjudan från {company}</translation>
    </message>
    <message>
        <source>Invitation</source>
        <translation>Inbjudan</translation>
    </message>
    <message>
        <source>Position:</source>
        <translation>Tjänst:</translation>
    </message>
    <message>
        <source>Interview:</source>
        <translation>Intervju:</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>Kontakt:</translation>
    </message>
    <message>
        <source>Connection:</source>
        <translation>Anslutning:</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Meddelande:</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Fil:</translation>
    </message>
    <message>
        <source>in {span}</source>
        <translation>om {span}</translation>
    </message>
    <message>
        <source>In the invitation: {time}</source>
        <translation>I inbjudan: {time}</translation>
    </message>
    <message>
        <source>Tip: the clocks change for daylight saving time on {date}, before the interview. The time above allows for it; a time worked out by hand today may be an hour off.</source>
        <translation>Tips: klockan ställs om till eller från sommartid {date}, före intervjun. Tiden ovan tar hänsyn till det; en tid som räknats ut för hand i dag kan vara en timme fel.</translation>
    </message>
    <message>
        <source>Measured against the company&apos;s server {host}.</source>
        <translation>Mäts mot företagets server {host}.</translation>
    </message>
    <message>
        <source>Even in demo mode the connection is measured for real against this server, because that is the connection your interview will use; only the camera and microphone use the samples.</source>
        <translation>Även i demoläge mäts anslutningen på riktigt mot den här servern, eftersom det är den anslutningen din intervju kommer att använda; bara kameran och mikrofonen använder exemplen.</translation>
    </message>
    <message>
        <source>Demo mode is on: the pages use a sample video, a sample recording and a measurement server on this computer, so you can see how everything works. The results say nothing about your own devices.</source>
        <translation>Demoläget är på: sidorna använder en exempelvideo, en exempelinspelning och en mätserver på den här datorn, så att du kan se hur allt fungerar. Resultaten säger inget om dina egna enheter.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Not checked yet</source>
        <translation>Inte kontrollerad ännu</translation>
    </message>
</context>
<context>
    <name>SystemPage</name>
    <message>
        <source>Computer</source>
        <translation>Dator</translation>
    </message>
    <message>
        <source>Checks that the computer has the power, memory and disk space a video call needs, whether it runs on battery, whether a VPN or a weak Wi-Fi signal is in the way, and whether the interviewer will be able to read your screen when you share it.</source>
        <translation>Kontrollerar att datorn har den kraft, det minne och det diskutrymme ett videosamtal behöver, om den går på batteri, om en VPN eller en svag Wi-Fi-signal står i vägen och om intervjuaren kommer att kunna läsa din skärm när du delar den.</translation>
    </message>
</context>
</TS>
